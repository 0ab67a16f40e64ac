"""いの町's own marks for achievement_bands (docs/evaluation.md): a city's bands with words no built-in
status has, for tests of a plan judged by its own scale."""

INO_BANDS = {
    "rate": "ratio",
    "no_progress": "×",
    "bands": [
        {"code": "◎", "label": "目標値以上", "label_en": "At or above target", "min": 1.0},
        {"code": "○", "label": "目標値と同等", "label_en": "About the target", "min": 0.95},
        {"code": "△", "label": "目標値未達成", "label_en": "Below target"},
        {"code": "×", "label": "進捗なし", "label_en": "No progress"},
    ],
}
