"""Pure domain logic: plain values in, plain values out, no Django imports.

The modules here are the product's core (eras and fiscal years, quantities,
the plan's data, evaluation). They are fast to test and reused by the
services, the CLI, the reports and the sheet reader alike.
"""
