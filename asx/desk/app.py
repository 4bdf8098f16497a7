"""The Textual app of ``asx desk`` (issue 20). The only module of asx that imports Textual.

Panes (tabs, so it works in an 80×24 terminal; wider terminals get more columns, taller ones more
rows): my cases by time to breach with a live countdown (amber inside ``desk.warn_minutes``, red
when breached: bold / reverse too, so NO_COLOR keeps the difference), reviews actionable now,
cases waiting on the buyer past the promise, and for a supervisor the unsigned money. The header
says my shift now and next and the handover times; the line under it the handover note.

Keys act on the selected row through :mod:`asx.desk.actions` (the CLI's domain calls); a refusal is
shown inline in the form, which stays open. Every label comes from ``app.labels`` (kind ``desk``
and the domain kinds) in the chosen language; Rich measures CJK text by display width.

Live: every ``desk.poll_seconds`` the screen asks :func:`asx.store.changes.watch` whether another
connection committed (SQLite ``PRAGMA data_version``, PostgreSQL LISTEN/NOTIFY) and reloads the
panes only then; the countdown ticks each second from the due times already loaded; a full reload
also happens when the clock's minute turns (call windows open, clocks run out).
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Checkbox, DataTable, Input, Select, Static, TabbedContent, TabPane

from asx.core.errors import AsxError
from asx.desk import actions, data
from asx.desk.text import countdown, countdown_style

#: (keys, action, label code, shown in the footer) of the main screen
KEYS = [
    ("r", "respond", "k_respond", True),
    ("n", "note", "k_note", False),
    ("t", "tick", "k_tick", False),
    ("w", "wait", "k_wait", False),
    ("p", "promise", "k_promise", False),
    ("s", "resolve", "k_resolve", True),
    ("e", "escalate", "k_escalate", False),
    ("o", "detail", "k_detail", False),
    ("c", "contact", "k_contact", True),
    ("v", "reveal", "k_reveal", False),
    ("slash", "filter", "k_filter", True),
    ("question_mark", "keys", "k_keys", True),
    ("q", "quit", "k_quit", True),
    ("1,2,3,4", None, "k_tabs", False),  # help only: key_1 … key_4 of DeskScreen
]
KEY_TEXT = {"slash": "/", "question_mark": "?", "1,2,3,4": "1-4", "enter": "⏎"}

PANES = ("cases", "reviews", "waiting", "money")


class KeyBar(Static):
    """The keys of a screen on its last line, as Textual's Footer shows them but drawn once as one
    line of text (the Footer composes a widget per key and recomposes on every focus change: a
    measurable part of the desk's first screen, benchmarks/desk.py)."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $footer-background; color: $footer-foreground; }
    """

    def __init__(self, keys: list[tuple[str, str]]):
        from textual.content import Content

        parts = []
        for key, label in keys:
            parts += [Content.styled(f" {key} ", "bold $footer-key-foreground"), Content(f"{label} ")]
        super().__init__(Content("").join(parts), id="keybar")


class FormScreen(ModalScreen):
    """A small form; OK calls ``submit(values)``: its message closes the form, an AsxError is shown
    inline (the form stays, as typed)."""

    BINDINGS = [Binding("escape", "cancel", show=False)]
    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > Vertical { width: 76; max-width: 100%; height: auto; max-height: 100%; border: round $accent;
                            padding: 0 1; background: $surface; }
    FormScreen .title { text-style: bold; }
    FormScreen #error { color: $error; text-style: bold; }
    FormScreen .row { height: auto; margin-top: 1; }
    FormScreen .lbl { width: 24; }
    FormScreen .gap { width: 2; }
    FormScreen Input, FormScreen Select { width: 1fr; }
    """

    def __init__(self, title: str, fields: list[dict], submit: Callable[[dict], str], texts: Callable[[str], str]):
        super().__init__()
        self.title_text, self.fields, self.submit, self.t = title, fields, submit, texts

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title", markup=False)
            for f in self.fields:
                with Horizontal(classes="row"):
                    if f["kind"] == "checkbox":
                        yield Checkbox(f["label"], value=bool(f.get("value")), id=f"f-{f['name']}", compact=True)
                        continue
                    yield Static(f["label"], classes="lbl", markup=False)
                    if f["kind"] == "select":
                        yield Select(f["options"], id=f"f-{f['name']}", value=f.get("value", Select.NULL),
                                     allow_blank=True, prompt="…", compact=True)
                    else:
                        yield Input(value=f.get("value") or "", id=f"f-{f['name']}", compact=True)
            yield Static("", id="error", markup=False)
            with Horizontal(classes="row"):
                yield Button(self.t("ok"), id="ok", variant="primary", compact=True)
                yield Static(" ", classes="gap")
                yield Button(self.t("cancel"), id="cancel", compact=True)

    def values(self) -> dict:
        out = {}
        for f in self.fields:
            w = self.query_one(f"#f-{f['name']}")
            v = w.value
            if f["kind"] == "select" and (v is Select.NULL or v is None):
                v = None
            out[f["name"]] = v
        return out

    def do_submit(self) -> None:
        try:
            msg = self.submit(self.values())
        except AsxError as exc:
            self.query_one("#error", Static).update(f"Error: {exc}")
            return
        except Exception as exc:  # a bug: one line, never a traceback on the screen
            self.query_one("#error", Static).update(f"internal error: {type(exc).__name__}: {exc}")
            return
        self.dismiss(msg)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.do_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self.do_submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen):
    """Yes / no (y, n, escape)."""

    BINDINGS = [Binding("y", "yes", show=False), Binding("n,escape", "no", show=False)]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 70; max-width: 100%; height: auto; border: round $warning; padding: 0 1;
                               background: $surface; }
    ConfirmScreen Horizontal { height: auto; }
    """

    def __init__(self, question: str, texts: Callable[[str], str]):
        super().__init__()
        self.question, self.t = question, texts

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question + "  [y/n]", markup=False)
            with Horizontal():
                yield Button(self.t("ok"), id="yes", variant="warning")
                yield Button(self.t("cancel"), id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class TextScreen(Screen):
    """A scrollable text page (case detail, keys); escape or q goes back."""

    BINDINGS = [Binding("escape,q", "back", show=False)]
    DEFAULT_CSS = "TextScreen VerticalScroll { padding: 0 1; }"

    def __init__(self, text: str, name: str = "text", keys: list[tuple[str, str]] | None = None):
        super().__init__(name=name)
        self.text, self.keys = text, keys or []

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.text, id="text", markup=False)
        yield KeyBar(self.keys)

    def set_text(self, text: str) -> None:
        self.text = text
        self.query_one("#text", Static).update(text)

    def action_back(self) -> None:
        self.dismiss(None)


class DetailScreen(TextScreen):
    """One case: fields (buyer data masked), checklist, SLA per target, history; ``v`` reveals
    (supervisor, confirmed, recorded)."""

    BINDINGS = [Binding("escape,q", "back", show=False), Binding("v", "reveal", show=False)]

    def __init__(self, desk: "DeskScreen", case_id: int, raw: dict | None = None):
        self.desk, self.case_id, self.raw = desk, case_id, raw
        super().__init__(desk.case_text(case_id, raw), name="detail",
                         keys=[("esc", desk.d.t("k_back")), ("v", desk.d.t("k_reveal"))])

    def action_reveal(self) -> None:
        def shown(raw: dict) -> None:
            self.raw = raw
            self.set_text(self.desk.case_text(self.case_id, raw))

        self.desk.ask_reveal(self.case_id, on_done=shown)

    def reload(self) -> None:
        """Read the case again (the desk's poll saw a change, or the clock's minute turned): history,
        checklist and SLA per target as they are now; revealed data stays revealed (R-SEC-1: the
        reveal was recorded once)."""
        try:
            self.set_text(self.desk.case_text(self.case_id, self.raw))
        except AsxError as exc:
            self.desk.say(f"Error: {exc}", error=True)


class DeskScreen(Screen):
    DEFAULT_CSS = """
    #head { height: auto; background: $primary-background; text-style: bold; }
    #handover { height: 1; color: $text-muted; }
    #tabs { height: 1fr; }
    #tabs TabPane { padding: 0; }
    #tabs DataTable { height: 1fr; }
    #rv-note { height: 1; color: $text-muted; }
    #filter { dock: bottom; height: 3; display: none; }
    #filter.on { display: block; }
    #status { height: 1; }
    """

    def __init__(self, desk_app: "DeskApp"):
        super().__init__(name="desk")
        self.d = desk_app
        for keys, action, code, show in KEYS:
            if action is None:
                continue
            self._bindings.bind(keys, action, self.d.t(code), show=show,
                                key_display=KEY_TEXT.get(keys))
        self.rows: dict[str, list[dict]] = {p: [] for p in PANES}
        self.filter_text = ""
        self.loaded: dict | None = None
        self.stale: set[str] = set()   # panes whose table waits for the new data
        self.filled_wide: bool | None = None

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        t = self.d.t
        yield Static("", id="head", markup=False)
        yield Static("", id="handover", markup=False)
        with TabbedContent(id="tabs"):
            with TabPane(t("team_cases" if self.d.view.team else "cases"), id="p-cases"):
                yield DataTable(id="t-cases", cursor_type="row", zebra_stripes=True)
            with TabPane(t("reviews"), id="p-reviews"):
                yield Static("", id="rv-note", markup=False)
                yield DataTable(id="t-reviews", cursor_type="row", zebra_stripes=True)
            with TabPane(t("waiting"), id="p-waiting"):
                yield DataTable(id="t-waiting", cursor_type="row", zebra_stripes=True)
            if self.d.view.supervisor:
                with TabPane(t("money"), id="p-money"):
                    yield DataTable(id="t-money", cursor_type="row", zebra_stripes=True)
        yield Input(placeholder=t("k_filter") + " (/)", id="filter")
        yield Static("", id="status", markup=False)
        yield KeyBar([(KEY_TEXT.get(keys, keys), t(code)) for keys, action, code, show in KEYS if show])

    def on_mount(self) -> None:
        first, self.d.first = self.d.first, None
        self.reload(first)
        self.query_one("#t-cases", DataTable).focus()

    def on_resize(self) -> None:
        # the columns depend on the width only across desk's one breakpoint (100 columns): refill
        # then, not on every resize (start-up sends several)
        if self.loaded is not None and self.wide() != self.filled_wide:
            self.fill()

    # -- data -----------------------------------------------------------------------------------
    def reload(self, loaded: dict | None = None) -> None:
        """Read every pane again (after a change, or an action of ours); ``loaded``: the panes
        already read (``asx desk`` reads them while Textual is imported)."""
        d = self.d
        try:
            self.loaded = loaded if loaded is not None else data.load(d.asx, d.view, d.asx.now())
        except AsxError as exc:
            self.say(f"Error: {exc}", error=True)
            return
        d.reloads += 1
        ld = self.loaded
        self.rows["cases"] = ld["due"]
        self.rows["reviews"] = ld["reviews"]["items"]
        self.rows["waiting"] = ld["waiting"]
        self.rows["money"] = ld["money"]["items"] if ld["money"] else []
        self.fill()

    def width(self) -> int:
        return self.size.width or self.d.size.width or 80

    def wide(self) -> bool:
        """100 columns or more: more columns per pane."""
        return self.width() >= 100

    def fill(self) -> None:
        ld = self.loaded
        self.filled_wide = self.wide()
        self.query_one("#head", Static).update(self.head_text(ld))
        self.query_one("#handover", Static).update(self.handover_text(ld))
        rv = ld["reviews"]
        t = self.d.t
        note = t("calls_now") if rv["in_call_window"] else t("calls_not_now")
        if rv["later"]:
            later = rv["later"][0]
            from asx.daily.render import dhm

            note += (f" · {t('later')}: {later['count']} × {self.d.lab('review_step', later['step'])} "
                     f"{dhm(self.d.asx, later['from'], ld['at']) if later['from'] else ''}")
        self.query_one("#rv-note", Static).update(note)
        from asx.desk.text import pane_titles

        tabs = self.query_one("#tabs", TabbedContent)
        active = self.pane()
        for p, title in pane_titles(self.d, ld):
            tabs.get_tab(f"p-{p}").label = title
            self.stale.add(p)
        self.fill_table(active)   # the pane on screen now; the others after this frame is drawn
        self.call_after_refresh(self.fill_stale)

    def fill_stale(self) -> None:
        for p in list(self.stale):
            self.fill_table(p)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        p = (event.pane.id or "p-cases")[2:]
        if p in self.stale and self.loaded is not None:
            self.fill_table(p)

    def matches(self, cells: list) -> bool:
        q = self.filter_text.strip().lower()
        return not q or any(q in str(c).lower() for c in cells)

    def fill_table(self, pane: str) -> None:
        self.stale.discard(pane)
        table = self.query_one(f"#t-{pane}", DataTable)
        old_key = None
        if table.row_count:
            try:
                old_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            except Exception:
                old_key = None
        cols, rows = getattr(self, f"{pane}_rows")()
        table.clear(columns=True)
        for key, label in cols:
            table.add_column(label, key=key)
        for key, cells in rows:
            if self.matches(cells):
                table.add_row(*cells, key=key)
        if old_key is not None:
            try:
                table.move_cursor(row=table.get_row_index(old_key))
            except Exception:
                pass

    # -- pane contents ------------------------------------------------------------------------------
    def cases_rows(self):
        from asx.desk.text import case_rows

        cols, rows = case_rows(self.d, self.loaded, self.rows["cases"], wide=self.wide(), now=self.d.now_epoch())
        return cols, [(key, [Text(c[0], style=c[1]) if isinstance(c, tuple) else c for c in cells])
                      for key, cells in rows]

    def reviews_rows(self):
        from asx.daily.render import cut, dhm

        d, t, ld = self.d, self.d.t, self.loaded
        wide = self.wide()
        cols = [("id", t("id")), ("step", t("step")), ("sev", t("sev")), ("why", t("why")), ("item", t("item"))]
        if d.view.team or wide:
            cols.append(("owner", t("owner")))
        if wide:
            cols.append(("due", t("due")))
        rows = []
        for r in self.rows["reviews"]:
            cells = [f"r{r['id']}", d.lab("review_step", r["next_step"]), str(r["severity"]),
                     cut(r.get("reason") or "", 40 if wide else 24), cut(r.get("item") or "", 40 if wide else 14)]
            if d.view.team or wide:
                cells.append(r.get("owner") or "")
            if wide:
                cells.append(dhm(d.asx, r["due_at"], ld["at"]))
            rows.append((f"r{r['id']}", cells))
        return cols, rows

    def waiting_rows(self):
        from asx.daily.render import dhm

        d, t, ld = self.d, self.d.t, self.loaded
        cols = [("id", t("id")), ("status", t("status")), ("promised", t("promised")), ("since", t("since")),
                ("category", t("category")), ("order", t("order"))] + ([("agent", t("agent"))] if d.view.team else [])
        rows = []
        for r in self.rows["waiting"]:
            # R-SLA-5: the buyer's promised time has passed (or the wait is long): call them back first
            status = (Text(t("lapsed"), style="bold red") if r.get("lapsed")
                      else Text(d.lab("case_status", r["status"])))
            cells = [f"#{r['id']}", status, dhm(d.asx, r["promised_at"], ld["at"]) if r["promised_at"] else "",
                     dhm(d.asx, r["paused_since"], ld["at"]) if r["paused_since"] else "",
                     d.lab("category", r["category"]), r.get("order_no") or ""] + (
                [r["agent"] or ""] if d.view.team else [])
            rows.append((f"w{r['id']}", cells))
        return cols, rows

    def money_rows(self):
        from asx.core.money import yuan
        from asx.daily.render import dhm

        d, t, ld = self.d, self.d.t, self.loaded
        cols = [("id", t("id")), ("when", t("when")), ("yuan", t("yuan")), ("reason", t("reason")),
                ("agent", t("agent")), ("case", t("case")), ("review", t("review"))]
        rows = []
        for e in self.rows["money"]:
            rows.append((f"m{e['id']}", [str(e["id"]), dhm(d.asx, e["at"], ld["at"]),
                                         Text(yuan(e["amount_fen"]), justify="right"),
                                         d.lab("ledger_reason", e["reason"]) if e["reason"] else "",
                                         e["agent"] or "", f"#{e['case_id']}" if e["case_id"] else "",
                                         f"r{e['review_id']}" if e["review_id"] else ""]))
        return cols, rows

    def head_text(self, ld: dict) -> str:
        from asx.desk.text import head_text

        return head_text(self.d, ld)

    def handover_text(self, ld: dict) -> str:
        from asx.desk.text import handover_text

        return handover_text(self.d, ld)

    def case_text(self, case_id: int, raw: dict | None = None) -> str:
        """The detail page: what ``asx case show`` shows, buyer data masked unless revealed."""
        from asx.cases import model, service
        from asx.core.money import yuan
        from asx.daily.render import dhm, table
        from asx.io import masking
        from asx.store import cases as case_store

        d, t, app = self.d, self.d.t, self.d.asx
        case = case_store.require(app.store, case_id)
        if raw is not None:
            case.update({k: raw[k] for k in ("buyer", "buyer_contact", "summary") if k in raw})
        else:
            for k, kind in (("buyer", "name"), ("buyer_contact", "contact"), ("summary", "text")):
                if case.get(k) not in (None, ""):
                    case[k] = masking.mask_value(kind, case[k])
        total = max(60, self.width() - 2)
        lines = [f"#{case_id}  {d.lab('case_status', case['status'])} · {d.lab('category', case['category'])} · "
                 f"{d.lab('severity', case['severity'])} · {d.lab('channel', case['channel'])} · "
                 f"{t('agent')} {case['agent'] or '-'}" + (f" · {case['specialist']}" if case.get("specialist") else "")]
        info = [("order", case.get("order_no")), ("buyer", case.get("buyer")), ("phone", case.get("buyer_contact")),
                ("summary", case.get("summary")), ("opened", app.iso(case["opened_at"])),
                ("due", f"{app.iso(case['next_due_at'])} {d.lab('sla_target', case['next_due_target'])}"
                 if case["next_due_at"] else ""),
                ("promised", app.iso(case["promised_at"]) if case.get("promised_at") else ""),
                ("resolution", f"{d.lab('resolution', case['resolution'])} / {d.lab('party', case['party'])}"
                 if case.get("resolution") else ""),
                ("amount", yuan(case["amount_fen"]) if case.get("amount_fen") else ""),
                ("version", str(case["version"]))]
        lines += table([[k, str(v)] for k, v in info if v not in (None, "")], total)
        cat = model.categories(app.plugins).get(case["category"])
        done = case_store.checks(app.store, case_id)
        if cat and cat.checklist:
            lines += ["", t("checklist")]
            lines += table([["[x]" if s.step in done else "[ ]", s.step, s.zh if d.view.lang == "zh" and s.zh else s.en,
                             "required" if s.required else ""] for s in cat.checklist], total)
        lines += ["", t("sla")]
        now = d.now_epoch()
        rows = []
        for s in service.sla_state(app, case, now=now):
            rows.append([d.lab("sla_target", s["target"]), s["target_rule"], d.lab("sla_state", s["state"]),
                         app.iso(s["due_at"])[:16].replace("T", " ") if s["due_at"] else "",
                         ("met " + dhm(app, s["met_at"], self.loaded["at"] if self.loaded else app.now()))
                         if s["met_at"] else
                         (countdown(s["due_at"], now) if s["due_at"] else "")])
        lines += table(rows, total)
        lines += ["", t("history")]
        hist = []
        for h in case_store.events(app.store, case_id):
            note = h["note"] or ""
            if raw is None and note:
                note = masking.mask_value("text", note)
            move = (f"{h['from_status'] or ''}→{h['to_status']}" if h["to_status"] else "")
            hist.append([app.iso(h["at"])[:16].replace("T", " "), h["by"] or "", h["action"], move,
                         note.replace("\n", " ")])
        lines += table(hist, total)
        return "\n".join(lines)

    # -- live -------------------------------------------------------------------------------------
    def poll(self) -> None:
        """Every desk.poll_seconds: one change-counter read; the panes reload only on a change (or when
        the clock's minute turned: call windows, clocks running out)."""
        d = self.d
        d.polls += 1
        minute = d.now_epoch() // 60
        changed = d.watch.changed()
        if changed or minute != d.minute:
            d.minute = minute
            self.reload()
            for screen in d.screen_stack:   # an open case detail is live too
                if isinstance(screen, DetailScreen):
                    screen.reload()

    def tick(self) -> None:
        """Every second: the countdown column from the due times already loaded (no database)."""
        d = self.d
        now = d.now_epoch()
        if now == d.ticked or self.loaded is None:
            return
        d.ticked = now
        table = self.query_one("#t-cases", DataTable)
        for r in self.rows["cases"]:
            key = f"c{r['id']}"
            try:
                table.update_cell(key, "left", Text(countdown(r["next_due_at"], now),
                                                    style=countdown_style(r["next_due_at"], now, d.warn)))
            except Exception:  # filtered out
                pass

    # -- selection ----------------------------------------------------------------------------------
    def pane(self) -> str:
        return (self.query_one("#tabs", TabbedContent).active or "p-cases")[2:]

    def selected(self) -> tuple[str, int] | None:
        """("case"|"review"|"entry", id) of the selected row of the active pane."""
        pane = self.pane()
        table = self.query_one(f"#t-{pane}", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        kind = {"c": "case", "w": "case", "r": "review", "m": "entry"}[key[0]]
        return kind, int(key[1:])

    def selected_case(self) -> int | None:
        sel = self.selected()
        if sel and sel[0] == "case":
            return sel[1]
        if sel and sel[0] == "entry":
            e = next((e for e in self.rows["money"] if e["id"] == sel[1]), None)
            if e and e["case_id"]:
                return e["case_id"]
        self.say(self.d.t("select_case"), error=True)
        return None

    def say(self, text: str, *, error: bool = False) -> None:
        self.query_one("#status", Static).update(Text(text, style="bold red" if error else ""))

    # -- forms ---------------------------------------------------------------------------------------
    def form(self, title: str, fields: list[dict], submit: Callable[[dict], str]) -> None:
        def done(msg):
            if msg:
                self.say(msg)
                self.reload()

        self.d.push_screen(FormScreen(title, fields, submit, self.d.t), done)

    def case_form(self, code: str, fields: list[dict], fn: Callable[..., str]) -> None:
        case_id = self.selected_case()
        if case_id is None:
            return
        app = self.d.asx
        self.form(f"#{case_id} {self.d.t(code)}", fields, lambda v: fn(app, case_id, **v))

    def field(self, name: str, code: str, kind: str = "input", **kw) -> dict:
        return {"name": name, "label": self.d.t(code), "kind": kind, **kw}

    def action_respond(self) -> None:
        self.case_form("k_respond", [self.field("note", "f_note"), self.field("solution", "f_solution", "checkbox")],
                       actions.respond)

    def action_note(self) -> None:
        self.case_form("k_note", [self.field("text", "f_note")], actions.note)

    def action_tick(self) -> None:
        case_id = self.selected_case()
        if case_id is None:
            return
        app = self.d.asx
        steps = actions.checklist(app, case_id, self.d.view.lang)
        opts = [(("✓ " if s["done"] else "") + f"{s['step']}: {s['text']}", s["step"]) for s in steps]
        self.form(f"#{case_id} {self.d.t('k_tick')}", [self.field("step", "f_step", "select", options=opts)],
                  lambda v: actions.check(app, case_id, **v))

    def action_wait(self) -> None:
        case_id = self.selected_case()
        if case_id is None:
            return
        from asx.store import cases as case_store

        app = self.d.asx
        status = case_store.require(app.store, case_id)["status"]
        if status.startswith("waiting_"):
            self.form(f"#{case_id} {self.d.t('k_wait')}: {self.d.lab('case_status', status)}",
                      [self.field("note", "f_note")], lambda v: actions.resume(app, case_id, **v))
            return
        opts = [(self.d.lab("case_status", f"waiting_{o}"), o) for o in ("buyer", "courier", "warehouse")]
        self.form(f"#{case_id} {self.d.t('k_wait')}",
                  [self.field("on", "f_on", "select", options=opts, value="buyer"), self.field("note", "f_note")],
                  lambda v: actions.wait(app, case_id, **v))

    def action_promise(self) -> None:
        self.case_form("k_promise", [self.field("until", "f_by"), self.field("note", "f_note"),
                                     self.field("reason", "f_reason")], actions.promise)

    def action_resolve(self) -> None:
        app, lang = self.d.asx, self.d.view.lang
        self.case_form("k_resolve", [
            self.field("resolution", "f_resolution", "select", options=actions.choices(app, "resolution", lang)),
            self.field("party", "f_party", "select", options=actions.choices(app, "party", lang)),
            self.field("amount", "f_amount"), self.field("note", "f_note")], actions.resolve)

    def action_escalate(self) -> None:
        app = self.d.asx
        opts = [(n, n) for n in actions.specialists(app)]
        self.case_form("k_escalate", [self.field("to", "f_to", "select", options=opts), self.field("note", "f_note")],
                       actions.escalate)

    def action_contact(self) -> None:
        sel = self.selected()
        if not sel or sel[0] != "review":
            self.say(self.d.t("select_review"), error=True)
            return
        review_id = sel[1]
        app, lang = self.d.asx, self.d.view.lang
        row = next((r for r in self.rows["reviews"] if r["id"] == review_id), {})
        vias = actions.choices(app, "contact_via", lang)
        step = row.get("next_step")

        def submit(v):
            msg, warnings = actions.contact(app, review_id, **v)
            return "; ".join([msg] + [f"warning: {w}" for w in warnings])

        self.form(f"r{review_id} {self.d.t('k_contact')}", [
            self.field("via", "f_via", "select", options=vias,
                       **({"value": step} if step in [c for _, c in vias] else {})),
            self.field("result", "f_result", "select", options=actions.choices(app, "contact_result", lang)),
            self.field("by", "f_promised_by"), self.field("note", "f_note")], submit)

    def action_detail(self) -> None:
        case_id = self.selected_case()
        if case_id is not None:
            self.open_detail(case_id)

    def open_detail(self, case_id: int, raw: dict | None = None) -> None:
        try:
            screen = DetailScreen(self, case_id, raw)
        except AsxError as exc:
            self.say(f"Error: {exc}", error=True)
            return
        self.d.push_screen(screen)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key and key[0] == "r":
            self.action_contact()
        else:
            self.action_detail()

    def ask_reveal(self, case_id: int, on_done: Callable[[dict], None]) -> None:
        """R-SEC-1: a supervisor's reveal, after a confirmation; recorded by the same call as
        ``asx case show --reveal`` (history event and access log)."""

        def answer(yes):
            if not yes:
                return
            try:
                raw = actions.reveal(self.d.asx, case_id)
            except AsxError as exc:
                self.say(f"Error: {exc}", error=True)
                return
            on_done(raw)

        self.d.push_screen(ConfirmScreen(self.d.t("reveal_q").replace("{id}", str(case_id)), self.d.t), answer)

    def action_reveal(self) -> None:
        case_id = self.selected_case()
        if case_id is not None:
            self.ask_reveal(case_id, on_done=lambda raw: self.open_detail(case_id, raw))

    # -- navigation ---------------------------------------------------------------------------------
    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("on")
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.filter_text = event.value
            if self.loaded is not None:
                for p in PANES:
                    if p != "money" or self.d.view.supervisor:
                        self.fill_table(p)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.query_one(f"#t-{self.pane()}", DataTable).focus()

    def key_escape(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_class("on"):
            box.value = ""
            box.remove_class("on")
            self.query_one(f"#t-{self.pane()}", DataTable).focus()

    def action_keys(self) -> None:
        t = self.d.t
        lines = [t("keys_title"), ""]
        for keys, action, code, _ in KEYS:
            lines.append(f"  {KEY_TEXT.get(keys, keys):<5} {t(code)}")
        lines.append(f"  {'⏎':<5} {t('k_detail')} / {t('k_contact')}")
        lines.append(f"  {'esc':<5} {t('k_back')}")
        self.d.push_screen(TextScreen("\n".join(lines), name="keys", keys=[("esc", t("k_back"))]))

    def _go(self, n: int) -> None:
        panes = [p for p in PANES if p != "money" or self.d.view.supervisor]
        if n <= len(panes):
            self.query_one("#tabs", TabbedContent).active = f"p-{panes[n - 1]}"
            self.query_one(f"#t-{panes[n - 1]}", DataTable).focus()

    def key_1(self) -> None:
        self._go(1)

    def key_2(self) -> None:
        self._go(2)

    def key_3(self) -> None:
        self._go(3)

    def key_4(self) -> None:
        self._go(4)

    def action_quit(self) -> None:
        self.d.exit()


class DeskApp(App):
    """``asx desk``: give it the asx ``App`` and a :class:`asx.desk.data.View`."""

    ENABLE_COMMAND_PALETTE = False
    TITLE = "asx desk"

    def __init__(self, asx_app, view: data.View, *, poll_seconds: float | None = None, first: dict | None = None,
                 change_watch=None):
        """``first``: the panes already read (:func:`asx.desk.data.load`) for the first screen, with
        ``change_watch`` the :func:`asx.store.changes.watch` made before they were read (so a change
        committed in between is seen by the first poll)."""
        super().__init__()
        from asx.store.changes import watch

        self.asx, self.view, self.first = asx_app, view, first
        cfg = asx_app.config
        self.poll_seconds = float(poll_seconds if poll_seconds is not None else cfg.get("desk.poll_seconds"))
        self.warn = int(cfg.get("desk.warn_minutes"))
        self.watch = change_watch if change_watch is not None else watch(asx_app.store)
        self.reloads = 0    # how often the panes were read (tests, benchmarks/desk.py)
        self.polls = 0
        self.minute = self.now_epoch() // 60
        self.ticked = None

    def t(self, code: str) -> str:
        """A text of the desk in the view's language (app.labels kind ``desk``)."""
        return self.asx.labels.label("desk", code, self.view.lang)

    def lab(self, kind: str, code) -> str:
        from asx.daily.render import _lab

        return _lab(self.asx, kind, code, self.view.lang)

    def now_epoch(self) -> int:
        from asx.core.timeutil import to_epoch

        return to_epoch(self.asx.now())

    def get_default_screen(self) -> Screen:
        return DeskScreen(self)

    def on_mount(self) -> None:
        self.set_interval(self.poll_seconds, self.desk.poll)
        self.set_interval(1.0, self.desk.tick)

    @property
    def desk(self) -> DeskScreen:
        return self.screen_stack[0]

    def on_unmount(self) -> None:
        self.watch.close()
