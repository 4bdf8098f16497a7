"""KPI (R-KPI): indicator registry, computation, evaluations and grades, complaint ladder, awards.

Plain modules without click: :mod:`registry` (definitions as data), :mod:`indicators` (the
built-in compute functions), :mod:`compute` (a period × grouping table with its metadata),
:mod:`grades` (composite score, grades, complaint ladder, award candidates).
"""
