#!/usr/bin/python3
# test-keyboard.py: Casebook from the keyboard alone
#
# Starts the built casebook the way test-a11y.py does (its own X server,
# D-Bus session and accessibility bus, a throwaway HOME) and drives it with
# real key presses, synthesised through the X server's XTEST extension by
# the AT-SPI registry, so they take the same path as a person's: search,
# tick a filter with Tab and Space, open a result with the arrows and
# Enter, add it to a pack with Ctrl+D, go to the packs with Ctrl+3, open
# Export, pick Markdown, type a file name in the file chooser and press
# Enter; then the exported file must be there. AT-SPI is only watched: for
# where the focus is, and for what the window shows.
#
# Usage: test-keyboard.py CASEBOOK-BINARY [DATA-DIR]      (prints TAP)
#
# SPDX-License-Identifier: GPL-3.0-or-later

import importlib.util
import os
import re
import sys
import time

# The session, the walker and TAP come from the accessibility test (and no
# byte code is left in the source tree)
sys.dont_write_bytecode = True
_spec = importlib.util.spec_from_file_location(
    "casebook_a11y", os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-a11y.py"))
a11y = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(a11y)

Skip = a11y.Skip
TIMEOUT = a11y.TIMEOUT

# X keysyms
TAB, RETURN, SPACE, DOWN = 0xFF09, 0xFF0D, 0x0020, 0xFF54
CONTROL_MASK = 1 << 2


class Keyboard:
    def __init__(self, session):
        self.session = session
        self.pyatspi = session.pyatspi
        from gi.repository import Atspi, GLib
        self.context = GLib.MainContext.default()
        self.focused = None
        self.focus_events = 0
        self.listener = Atspi.EventListener.new(self._on_focus)
        self.listener.register("object:state-changed:focused")

    def _on_focus(self, event):
        if event.detail1:
            self.focused = event.source
            self.focus_events += 1

    def pump(self, seconds=0.0):
        """Lets AT-SPI events in for a while."""
        deadline = time.monotonic() + seconds
        while True:
            while self.context.iteration(False):
                pass
            if time.monotonic() >= deadline:
                return
            time.sleep(0.02)

    def key(self, keysym, modifiers=0):
        registry = self.pyatspi.Registry
        if modifiers:
            registry.generateKeyboardEvent(modifiers, None, self.pyatspi.KEY_LOCKMODIFIERS)
        registry.generateKeyboardEvent(keysym, None, self.pyatspi.KEY_SYM)
        if modifiers:
            registry.generateKeyboardEvent(modifiers, None, self.pyatspi.KEY_UNLOCKMODIFIERS)

    def type(self, text):
        self.pyatspi.Registry.generateKeyboardEvent(0, text, self.pyatspi.KEY_STRING)

    def focus(self):
        """(role, name) of what has the keyboard focus, as AT-SPI last said."""
        try:
            return (self.focused.getRoleName(), self.focused.name or "") if self.focused else (None, "")
        except Exception:  # noqa: BLE001: it went away
            return (None, "")

    def press_until(self, keysym, wanted, what, limit=80, modifiers=0):
        """Presses keysym until the focus is on something wanted((role, name))
        says yes to; returns that (role, name)."""
        for _ in range(limit):
            events = self.focus_events
            self.key(keysym, modifiers)
            # Each press here moves the focus: wait for it to be said, or a
            # slow machine would have the next press overtake it
            deadline = time.monotonic() + 10
            while self.focus_events == events and time.monotonic() < deadline:
                self.pump(0.02)
            self.pump(0.1)
            current = self.focus()
            if wanted(current):
                return current
        raise AssertionError("%d presses did not reach %s; the focus is on %s %r" % ((limit, what) + self.focus()))

    def wait_focus(self, wanted, what):
        return self.session.wait_for(what, lambda: (self.pump(0.05), wanted(self.focus()) and self.focus())[1])


def split_row_name(text):
    """'Recommendation 2.3.5: Foster ...' -> 'Foster ...'"""
    return text.split(": ", 1)[1] if ": " in text else text


class Steps:
    SEARCH = "cultural safety"
    FILTER = "Recommendation"
    FORMAT = "Markdown"

    def __init__(self, session, out_dir):
        self.session = session
        self.out_dir = out_dir
        self.keyboard = None
        self.checks = a11y.Checks(session)
        self.opened_title = None
        self.results_before = None
        self.dialog_title = None

    def results(self):
        return self.checks.named("the results list", "list", "Results")

    def result_rows(self, tree):
        results = next((n for n in tree.descendants() if n.role == "list" and n.name == "Results"), None)
        return [n for n in results.children if n.role == "list item"] if results else []

    def count_label(self, tree):
        return next((n.name for n in tree.descendants()
                     if n.role == "label" and re.fullmatch(r"[\d,]+ results?|No results", n.name)), None)

    def test_start(self):
        checks = self.checks
        checks.window = self.session.wait_for("the Casebook window over AT-SPI", self.session.window)
        checks.wait("the results", lambda n: n.role == "list" and n.name == "Results" and len(n.children) > 10)
        self.results_before = self.count_label(checks.tree)
        self.keyboard = Keyboard(self.session)
        # The pointer rests in the window's corner (the window is at the top
        # left of our X server, which has no window manager), where no
        # popover opens: a menu item under it would take the focus
        self.session.pyatspi.Registry.generateMouseEvent(2, 2, "abs")
        self.keyboard.pump(0.5)
        self.keyboard.key(ord("f"), CONTROL_MASK)
        # The search box may have had the focus already: then no event says so
        entry = checks.locate("the search box", lambda n: n.role in ("entry", "text") and "Search" in n.name)
        self.session.wait_for("the search box to have the focus after Ctrl+F",
                              lambda: (self.keyboard.pump(0.05),
                                       entry.acc.getState().contains(self.session.pyatspi.STATE_FOCUSED))[1])
        self.keyboard.focused = entry.acc

    def test_search(self):
        self.keyboard.type(self.SEARCH)

        def searched(n):
            if not (n.role == "list" and n.name == "Results" and n.children):
                return False
            count = self.count_label(self.checks.tree)
            return count not in (None, self.results_before) and self.SEARCH in n.children[0].name.lower()

        self.checks.wait("results for %r" % self.SEARCH, searched)

    def test_filter(self):
        keyboard = self.keyboard
        keyboard.press_until(TAB, lambda f: f[0] == "check box", "a filter check box", limit=20)
        role, name = keyboard.press_until(TAB, lambda f: f[0] == "check box" and f[1].startswith(self.FILTER + ", "),
                                          "the %s filter" % self.FILTER, limit=40)
        expected = int(re.search(r", (\d+) results?$", name).group(1))
        box = keyboard.focused
        keyboard.key(SPACE)
        self.session.wait_for("the %s filter to be ticked" % self.FILTER,
                              lambda: (keyboard.pump(0.05), box.getState().contains(self.session.pyatspi.STATE_CHECKED))[1])
        self.session.wait_for("%d results after ticking %s" % (expected, self.FILTER),
                              lambda: len(self.result_rows(self.checks.refresh())) == expected)
        names = [r.name for r in self.result_rows(self.checks.tree)]
        assert all(n.startswith(self.FILTER + " ") for n in names), \
            "rows other than %s after ticking it: %r" % (self.FILTER, names)

    def test_open_result(self):
        keyboard = self.keyboard
        first = keyboard.press_until(TAB, lambda f: f[0] == "list item" and f[1].startswith(self.FILTER + " "),
                                     "the first result", limit=60)
        second = keyboard.press_until(DOWN, lambda f: f[0] == "list item" and f != first, "the second result", limit=3)
        keyboard.key(RETURN)
        self.opened_title = split_row_name(second[1])
        view = self.checks.locate("the reading pane", lambda n: n.raw_name == "CbItemView")
        self.checks.wait("the reading pane to show %r" % self.opened_title,
                         lambda n: n.role == "label" and n.name == self.opened_title, view)

    def test_add_to_pack(self):
        keyboard = self.keyboard
        assert self.opened_title, "no item was opened"
        keyboard.key(ord("d"), CONTROL_MASK)
        keyboard.pump(0.5)
        keyboard.key(ord("3"), CONTROL_MASK)
        view = self.checks.locate("the packs view", lambda n: n.raw_name == "CbPackView")
        self.checks.wait("the pack to hold %r" % self.opened_title,
                         lambda n: n.role == "list item" and self.opened_title in n.name and
                         n.parent.name == "Items of the pack", view)

    def test_export_menu(self):
        keyboard = self.keyboard
        keyboard.press_until(TAB, lambda f: f == ("push button", "Export"), "the Export button", limit=80)
        keyboard.key(SPACE)
        keyboard.wait_focus(lambda f: f[0] == "menu item", "the export formats menu")
        keyboard.press_until(DOWN, lambda f: f == ("menu item", self.FORMAT + "…"), "%s in the menu" % self.FORMAT,
                             limit=12)
        keyboard.key(RETURN)
        self.dialog_title = "Export as " + self.FORMAT
        self.session.wait_for("the file chooser %r" % self.dialog_title,
                              lambda: any(w is not None and w.name == self.dialog_title
                                          for w in self.session.application()))

    def test_export_file(self):
        keyboard = self.keyboard
        path = os.path.join(self.out_dir, "keyboard pack.md")
        # The file name box has the focus, with "My Pack.md" in it (GTK
        # focused it before the dialog was shown, so no event said so)
        focused = self.session.pyatspi.STATE_FOCUSED

        def name_box():
            dialog = next(w for w in self.session.application() if w is not None and w.name == self.dialog_title)
            return next((n for n in a11y.snapshot(dialog).descendants()
                         if n.role in ("text", "entry") and n.acc.getState().contains(focused)), None)

        self.session.wait_for("the file name box to have the focus", name_box)
        keyboard.key(ord("a"), CONTROL_MASK)
        keyboard.type(path)
        keyboard.pump(0.5)
        keyboard.key(RETURN)
        self.session.wait_for("%s to be written" % path, lambda: os.path.exists(path) and os.path.getsize(path) > 0)
        with open(path, encoding="utf-8") as exported:
            text = exported.read()
        assert text.startswith("# "), "not Markdown: %r" % text[:80]
        assert self.opened_title in text, "%r is not in the export" % self.opened_title


def main(argv):
    if len(argv) < 2:
        print("usage: test-keyboard.py CASEBOOK [DATA-DIR]", file=sys.stderr)
        return 2
    binary = argv[1]
    data_dir = os.path.abspath(argv[2] if len(argv) > 2 else os.environ["CASEBOOK_DATA_DIR"])
    session = a11y.Session(binary, data_dir)
    out_dir = os.path.join(session.tmp, "exports")
    os.makedirs(out_dir)
    steps = Steps(session, out_dir)
    tests = [
        ("Ctrl+F puts the focus in the search box", steps.test_start),
        ("typing %r searches" % Steps.SEARCH, steps.test_search),
        ("Tab reaches the filters and Space ticks %s" % Steps.FILTER, steps.test_filter),
        ("Tab reaches the results, Down and Enter open the second", steps.test_open_result),
        ("Ctrl+D adds it to the pack and Ctrl+3 shows the pack", steps.test_add_to_pack),
        ("Tab reaches Export, Space opens it, Down and Enter pick %s" % Steps.FORMAT, steps.test_export_menu),
        ("a file name typed in the file chooser and Enter export the pack", steps.test_export_file),
        ("casebook ran without warnings", session.check_log),
    ]
    tap = a11y.Tap()
    print("1..%d" % len(tests), flush=True)
    if not a11y.start(session, tap, [d for d, _ in tests]):
        return 1 if tap.failed else 0
    try:
        # Each step needs the one before: after a failure, the rest only
        # say so, except the log
        failed = False
        for description, test in tests:
            if failed and test != session.check_log:
                tap.report(description, "not ok", "an earlier step failed")
                continue
            before = tap.failed
            tap.run(description, test)
            failed = failed or tap.failed > before
    finally:
        session.stop()
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
