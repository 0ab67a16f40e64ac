"""Plan data in and out of files: plan packages (YAML + CSV) and the plan JSON contract.

Pure Python: no Django. Services call these and store or serve the result.
"""
