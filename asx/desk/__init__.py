"""``asx desk`` (issue 20): the agent's live work screen in the terminal — a presentation layer beside
``asx.commands``, built on Textual.

* :mod:`asx.desk.data` — what the panes show, read through the same domain functions as ``asx me``
  and ``asx today`` (``asx.daily.me``, ``asx.daily.today``): no queue ordering, SLA or ladder of its own;
* :mod:`asx.desk.actions` — what the keys do, through the same functions as ``asx case …`` and
  ``asx review contact`` (``asx.cases.service.act``, ``asx.reviews.service.contact``): same checks,
  same history, the same one-line errors;
* :mod:`asx.desk.app` — the Textual app (the only module that imports Textual; ``asx desk`` imports
  it inside the command, so no other command starts slower).
"""
