"""The roster rule settings with their defaults: the ``[roster]`` table of asx.toml, as plain TOML
values. Light on purpose: every command declares these settings (asx/plugins/roster.py), so this module
imports nothing; :class:`asx.roster.model.RuleSet` builds the rules from them."""

DEFAULT_SETTINGS = {
    "cycle_weeks": 3,
    "rest_days_per_week": 1,
    "holiday_rest_as_weekly_rest": "auto",
    "max_consecutive_days": 7,
    "min_consecutive_days": 0,
    "min_consecutive_off": 0,
    "min_rest_hours": 11.0,
    "switch_days": ["sat", "sun"],
    "rostered_roles": ["agent"],
    "monday_meeting": "13:30-14:00",
    "shifts": {
        "D": {"segments": ["08:30-17:30"], "label_en": "day", "label_zh": "白班", "kind": "day"},
        "N": {
            "segments": ["10:00-14:00", "17:30-23:00"],
            "label_en": "night",
            "label_zh": "晚班",
            "kind": "night",
        },
    },
    "coverage": {"D": {"min": 1}, "N": {"min": 1, "max": 1}},
    "coverage_weekday": {},
    "coverage_holiday": {},
    "coverage_workday": {},
    "coverage_dates": {},
    "forbidden_transitions": [],
    "limits": [],
    "families": {  # how each rule family is enforced: hard, or soft with a weight
        "coverage_min": {"hard": True, "weight": 1000},  # R-ROS-3
        "coverage_target": {"hard": False, "weight": 10},  # default under/over weight of a target
        "coverage_max": {"hard": False, "weight": 10},
        "rest_days": {"hard": True, "weight": 500},  # R-ROS-1
        "max_consecutive": {"hard": True, "weight": 100},
        "min_consecutive": {"hard": True, "weight": 100},
        "min_consecutive_off": {"hard": True, "weight": 100},
        "min_rest": {"hard": False, "weight": 20},  # R-ROS-2: night -> next-day day leaves 9.5 h
        "forbidden_succession": {"hard": True, "weight": 100},
        "switch_days": {"hard": True, "weight": 200},  # R-ROS-4
        "limits": {"hard": True, "weight": 10},
        "events": {"hard": False, "weight": 100},  # R-ROS-8: soft-high
        "requests": {"hard": False, "weight": 10},  # default weight of a request
        "holiday_rest": {"hard": False, "weight": 5},  # R-ROS-6: per agent working a holiday beyond need
        "fair_nights": {"hard": False, "weight": 10},  # R-ROS-10
        "fair_weekend_rests": {"hard": False, "weight": 10},  # R-ROS-10
        "fair_holiday_rests": {"hard": False, "weight": 10},  # R-ROS-6
    },
    "rotation": True,
    "template_weight": 1,
    "plan_nights": True,
}
