#!/usr/bin/python3
# test-a11y.py: what a screen reader sees of the Casebook window
#
# Starts the built casebook on its own X server, D-Bus session and
# accessibility bus (so that nothing else running under the same Xvfb or
# session, such as another instance of the single-instance application,
# can get in the way), with a throwaway HOME, then walks the AT-SPI tree:
# the main controls must have the right role and a name, result rows and
# evidence-map cells must be announced with their content, and no
# interactive control anywhere in the window may be unnamed.
#
# Usage: test-a11y.py CASEBOOK-BINARY [DATA-DIR]      (prints TAP)
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TIMEOUT = 30

# The tests' G_DEBUG=fatal-warnings would make libatspi's warnings in this
# process fatal ("AT-SPI: Error in GetItems": GTK 4.8 has no cache object);
# casebook's own warnings are checked in its log instead
os.environ["G_DEBUG"] = ",".join(flag for flag in os.environ.get("G_DEBUG", "").split(",")
                                 if flag and flag != "fatal-warnings")


class Skip(Exception):
    pass


# The session: X server, D-Bus, accessibility bus, the application

class Session:
    def __init__(self, binary, data_dir, args=()):
        self.binary = binary
        self.args = list(args)
        self.data_dir = data_dir
        self.processes = []
        self.tmp = tempfile.mkdtemp(prefix="casebook-a11y-")
        self.env = None
        self.app_process = None
        self.log_path = None
        self.log = ""
        self.pyatspi = None

    def _spawn(self, argv, env, **kwargs):
        process = subprocess.Popen(argv, env=env, start_new_session=True, **kwargs)
        self.processes.append(process)
        return process

    def _start_x(self, env):
        """Our own Xvfb, so that key events and the accessibility bus's
        root window property are ours alone; the display from the
        environment if there is no Xvfb to start."""
        xvfb = shutil.which("Xvfb")
        if xvfb is None:
            if not os.environ.get("DISPLAY"):
                raise Skip("no display and no Xvfb")
            return os.environ["DISPLAY"]
        read_fd, write_fd = os.pipe()
        self._spawn([xvfb, "-displayfd", str(write_fd), "-screen", "0", "1366x768x24",
                     "-nolisten", "tcp", "-noreset"],
                    env, pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_fd)
        number = b""
        deadline = time.monotonic() + TIMEOUT
        while not number.endswith(b"\n"):
            ready, _, _ = select.select([read_fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise AssertionError("Xvfb did not start")
            chunk = os.read(read_fd, 16)
            if not chunk:
                raise AssertionError("Xvfb exited without a display")
            number += chunk
        os.close(read_fd)
        return ":" + number.decode().strip()

    def _start_dbus(self, env):
        process = self._spawn(["dbus-daemon", "--session", "--nofork", "--print-address=1"], env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        ready, _, _ = select.select([process.stdout], [], [], TIMEOUT)
        if not ready:
            raise AssertionError("dbus-daemon did not start")
        address = process.stdout.readline().decode().strip()
        if not address:
            raise AssertionError("dbus-daemon printed no address")
        return address

    def _a11y_bus_address(self, session_address):
        """Asks the session for the accessibility bus, starting
        at-spi-bus-launcher ourselves if the session cannot activate it."""
        from gi.repository import Gio, GLib

        connection = Gio.DBusConnection.new_for_address_sync(
            session_address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)
        launched = False
        deadline = time.monotonic() + TIMEOUT
        try:
            while True:
                try:
                    reply = connection.call_sync("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress",
                                                 None, GLib.VariantType("(s)"), Gio.DBusCallFlags.NONE, 5000, None)
                    return reply.unpack()[0]
                except GLib.Error:
                    if time.monotonic() > deadline:
                        raise AssertionError("no accessibility bus (org.a11y.Bus) on the session bus")
                    if not launched:
                        launcher = "/usr/libexec/at-spi-bus-launcher"
                        if not os.access(launcher, os.X_OK):
                            raise Skip("at-spi2-core is not installed")
                        self._spawn([launcher], self.env, stdout=subprocess.DEVNULL)
                        launched = True
                    time.sleep(0.1)
        finally:
            connection.close_sync(None)

    def start(self):
        # The accessibility bus's processes are started by our dbus-daemon
        # and outlive it for a moment: make them ours to reap, not init's
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
        except (OSError, AttributeError):
            pass
        base = dict(os.environ)
        for name in ("home", "config", "data", "cache", "run"):
            os.makedirs(os.path.join(self.tmp, name), mode=0o700, exist_ok=True)
        base.update(HOME=os.path.join(self.tmp, "home"),
                    XDG_CONFIG_HOME=os.path.join(self.tmp, "config"),
                    XDG_DATA_HOME=os.path.join(self.tmp, "data"),
                    XDG_CACHE_HOME=os.path.join(self.tmp, "cache"),
                    XDG_RUNTIME_DIR=os.path.join(self.tmp, "run"),
                    GSETTINGS_BACKEND="memory", GDK_BACKEND="x11", LC_ALL="C.UTF-8", LANG="C.UTF-8")
        # The tests' environment turns accessibility off: this test needs it on
        base.pop("NO_AT_BRIDGE", None)
        base.pop("AT_SPI_BUS_ADDRESS", None)
        base["GTK_A11Y"] = "atspi"
        base["DISPLAY"] = self._start_x(base)
        base["DBUS_SESSION_BUS_ADDRESS"] = self._start_dbus(base)
        self.env = base
        base["AT_SPI_BUS_ADDRESS"] = self._a11y_bus_address(base["DBUS_SESSION_BUS_ADDRESS"])

        # pyatspi finds its buses from our environment when first imported
        for name in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS"):
            os.environ[name] = base[name]
        os.environ.pop("NO_AT_BRIDGE", None)
        try:
            import pyatspi
        except ImportError:
            raise Skip("pyatspi is not installed (python3-pyatspi, gir1.2-atspi-2.0)")
        self.pyatspi = pyatspi

        app_env = dict(base)
        app_env["CASEBOOK_DATA_DIR"] = self.data_dir
        if "GSETTINGS_SCHEMA_DIR" not in app_env:
            # Run by hand: the schema compiled in the build tree
            schemas = os.path.join(os.path.dirname(os.path.abspath(self.binary)), "..", "..", "data")
            app_env["GSETTINGS_SCHEMA_DIR"] = os.path.normpath(schemas)
        # A warning is worth a look, not a crash in the middle of a walk
        app_env["G_DEBUG"] = "gc-friendly"
        self.log_path = os.path.join(self.tmp, "casebook.log")
        with open(self.log_path, "w") as log:
            # Its output must not mix with our TAP
            self.app_process = self._spawn([self.binary] + self.args, app_env, stdout=log, stderr=log)

    def stop(self):
        if self.app_process is not None and self.app_process.poll() is None:
            self.app_process.terminate()
            try:
                self.app_process.wait(10)
            except subprocess.TimeoutExpired:
                pass
        if self.log_path and os.path.exists(self.log_path):
            with open(self.log_path, errors="replace") as log:
                self.log = log.read()
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if process.stdout:
                process.stdout.close()
        self._reap_orphans()
        shutil.rmtree(self.tmp, ignore_errors=True)

    @staticmethod
    def _orphans():
        """Our children that we did not start ourselves: the processes of
        the accessibility bus, handed to us when their parent exited."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % entry) as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.append((int(entry), fields[0]))
        return found

    def _reap_orphans(self):
        ours = {p.pid for p in self.processes}
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            orphans = [(pid, state) for pid, state in self._orphans() if pid not in ours]
            if not orphans:
                return
            for pid, state in orphans:
                if state != "Z":
                    try:
                        os.kill(pid, signal.SIGTERM)
                    except ProcessLookupError:
                        pass
                try:
                    os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    pass
            time.sleep(0.1)

    def check_log(self):
        """The application is still running and has said nothing alarming."""
        if self.app_process is None:
            raise Skip("casebook did not start")
        if self.app_process.poll() is not None:
            raise AssertionError("casebook exited with status %d" % self.app_process.returncode)
        with open(self.log_path, errors="replace") as log:
            lines = [line for line in log.read().splitlines()
                     if re.search(r"-(WARNING|CRITICAL|ERROR) \*\*", line)]
        assert not lines, "casebook warned:\n" + "\n".join(lines)

    # AT-SPI helpers

    def wait_for(self, what, predicate, timeout=TIMEOUT):
        """Calls predicate until it returns something true, and returns that."""
        deadline = time.monotonic() + timeout
        last_error = None
        while True:
            if self.app_process is not None and self.app_process.poll() is not None:
                raise AssertionError("casebook exited (status %d) while waiting for %s"
                                     % (self.app_process.returncode, what))
            try:
                value = predicate()
            except Exception as error:  # noqa: BLE001: an accessible that went away, or a bug: said below
                value = None
                last_error = error
            if value:
                return value
            if time.monotonic() > deadline:
                if isinstance(last_error, AssertionError):
                    raise AssertionError("timed out waiting for %s: %s" % (what, last_error))
                raise AssertionError("timed out waiting for %s%s" % (
                    what, " (last error: %r)" % last_error if last_error is not None else ""))
            time.sleep(0.1)

    def application(self):
        desktop = self.pyatspi.Registry.getDesktop(0)
        for app in desktop:
            if app is not None and app.get_process_id() == self.app_process.pid:
                return app
        return None

    def window(self):
        app = self.application()
        if app is None:
            return None
        for child in app:
            if child is not None and child.getRole() == self.pyatspi.ROLE_FRAME:
                return child
        return None


def gtk_type_name(text):
    """GTK 4.8 answers with the type name of a widget it has no name for
    ("GtkToggleButton", "AdwGizmo"): that is no name."""
    return re.fullmatch(r"(Gtk|Adw|Cb)[A-Z][A-Za-z]*", text or "") is not None


class Node:
    """One accessible as a walk found it."""

    def __init__(self, acc, role, raw_name, parent, index):
        self.acc = acc
        self.role = role
        self.raw_name = raw_name
        self.name = "" if gtk_type_name(raw_name) else raw_name
        self.parent = parent
        self.index = index
        self.children = []

    def __repr__(self):
        return "%s %r" % (self.role, self.raw_name)

    def descendants(self):
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def labels(self):
        return [n.name for n in self.descendants() if n.role == "label" and n.name]

    def where(self):
        """The nearest named ancestors: "list 'Results' < frame 'Casebook'"."""
        parts = []
        node = self.parent
        while node is not None and len(parts) < 3:
            if node.name:
                parts.append("%s '%s'" % (node.role, node.name))
            node = node.parent
        return " < ".join(parts) if parts else "(top)"


# Roles with no children worth a round trip each
LEAF_ROLES = {"label", "image", "icon", "scroll bar", "separator", "progress bar", "entry", "text",
              "password text"}
# Result rows all come from one factory: the first few are walked inside,
# the others only named (there are 191 of them, nine accessibles each)
ROWS_WALKED = 3


def snapshot(root):
    """The tree under root, fresh from the application."""
    try:
        root.clearCache()
    except Exception:  # noqa: BLE001: an older pyatspi
        pass
    top = None
    stack = [(root, None, 0)]
    while stack:
        acc, parent, index = stack.pop()
        try:
            node = Node(acc, acc.getRoleName(), acc.name or "", parent, index)
        except Exception:  # noqa: BLE001: it went away while we looked
            continue
        if parent is None:
            top = node
        else:
            parent.children.append(node)
        if node.role in LEAF_ROLES:
            continue
        if (node.role == "list item" and parent is not None and parent.role == "list" and
                parent.name == "Results" and index >= ROWS_WALKED):
            continue
        try:
            count = acc.childCount
        except Exception:  # noqa: BLE001
            continue
        children = []
        for i in range(count):
            try:
                child = acc.getChildAtIndex(i)
            except Exception:  # noqa: BLE001
                child = None
            if child is not None:
                children.append((child, node, i))
        stack.extend(reversed(children))
    return top


# TAP

class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def report(self, description, result, comment=None):
        """Prints one test's line; a "not ok" counts as a failure unless
        it is a TODO."""
        self.count += 1
        if result == "not ok" and "# TODO" not in description:
            self.failed += 1
        print("%s %d - %s" % (result, self.count, description), flush=True)
        for line in (comment or "").splitlines():
            print("# " + line, flush=True)

    def run(self, description, function, *args):
        try:
            function(*args)
        except Skip as skip:
            self.report("%s # SKIP %s" % (description, skip), "ok")
        except Exception as error:  # noqa: BLE001: every failure is reported
            self.report(description, "not ok", str(error) or repr(error))
        else:
            self.report(description, "ok")


def start(session, tap, descriptions):
    """Starts the session. If it cannot, reports every test, as skipped
    (where nothing to run them with is installed, unless under CI, where
    nothing may be skipped) or failed, and returns False."""
    try:
        session.start()
        return True
    except Skip as skip:
        reason, skipped = str(skip), not os.environ.get("CI")
    except Exception as error:  # noqa: BLE001: reported below
        reason, skipped = "the session did not start: %s" % error, False
    session.stop()
    for description in descriptions:
        if skipped:
            tap.report("%s # SKIP %s" % (description, reason), "ok")
        else:
            tap.report(description, "not ok", reason)
    return False


# What counts as a control, and as a name

INTERACTIVE_ROLES = (
    "push button", "toggle button", "check box", "radio button", "entry", "text", "password text",
    "combo box", "list item", "page tab", "spin button", "slider", "menu item", "check menu item",
    "radio menu item", "link", "switch", "tree item", "table cell",
)


def problem(node):
    """Why node's name would fail a screen reader user, or None."""
    text = node.name
    if not text.strip():
        return "no name" if not node.raw_name else "no name: GTK gives its type, %s" % node.raw_name
    # GTK 4.8 names a button with a mnemonic by its label as typed and then
    # by its mnemonic label: "_Clear Filters Clear Filters"
    if re.search(r"(^|\s)_\w", text):
        return "a mnemonic underscore in its name"
    words = [w.strip(".…:,").replace("_", "") for w in text.lower().split()]
    half = len(words) // 2
    if len(words) % 2 == 0 and half > 0 and words[:half] == words[half:]:
        return "its name said twice"
    return None


def badly_named_controls(tree):
    """Every interactive control in tree whose name fails, as dicts."""
    found = []
    for node in tree.descendants():
        if node.role not in INTERACTIVE_ROLES:
            continue
        why = problem(node)
        if why is None:
            continue
        try:
            description = node.acc.description or ""
        except Exception:  # noqa: BLE001: it went away
            description = ""
        found.append({"role": node.role, "name": node.raw_name, "description": description,
                      "where": node.where(), "why": why})
    return found


def describe(control):
    return "%s %r (%s) in %s%s" % (control["role"], control["name"], control["why"], control["where"],
                                   ", described %r" % control["description"] if control["description"] else "")


# The known defects of widgets in files this test's author could not
# change, each with its fix. Each is a TODO test: it fails, as expected,
# while the defect is there, and passes ("unexpectedly", which fails the
# run) once it is fixed, so that the entry is taken out. A defect not
# listed here fails the test.
KNOWN = [
]


# The checks

class Checks:
    TITLE = "Co-designing Māori data governance in Aotearoa, New Zealand"
    ITEM = "case_study:2.2.4"

    def __init__(self, session):
        self.session = session
        self.window = None
        self.tree = None
        self.found = []    # badly named controls, from every view

    @property
    def pyatspi(self):
        return self.session.pyatspi

    def refresh(self):
        """Walks the window again."""
        self.tree = snapshot(self.window)
        return self.tree

    def find(self, what, predicate, root=None):
        """The first node matching in root (the window as last walked)."""
        node = next((n for n in (root or self.tree).descendants() if predicate(n)), None)
        assert node is not None, "no " + what
        return node

    def locate(self, what, predicate):
        """The first node matching in the window as last walked, or else
        as walked again until one does."""
        node = next((n for n in self.tree.descendants() if predicate(n)), None) if self.tree else None
        return node or self.wait(what, predicate)

    def wait(self, what, predicate, within=None):
        """Walks within (a node; the window by default) until a node
        matches, and returns it."""
        def look():
            tree = snapshot(within.acc) if within is not None else self.refresh()
            return next((n for n in tree.descendants() if predicate(n)), None)

        return self.session.wait_for(what, look)

    def settle(self, what, check, within=None, fresh=True):
        """Runs check (which asserts) on within (a node; the window by
        default), walked again until check passes, and returns that tree:
        a walk is not atomic, and the window may be changing under it. With
        fresh False, the window as last walked is tried first."""
        reuse = [not fresh and within is None and self.tree is not None]

        def attempt():
            if reuse[0]:
                reuse[0] = False
                tree = self.tree
            else:
                tree = snapshot(within.acc) if within is not None else self.refresh()
            check(tree)
            return tree

        return self.session.wait_for(what, attempt)

    def named(self, what, role_name, text, root=None):
        return self.find("%s (%s %r)" % (what, role_name, text), lambda n: n.role == role_name and n.name == text, root)

    def scan(self, tree=None):
        """Notes the badly named controls of tree (the window) as it is now."""
        seen = {(c["role"], c["name"], c["where"]) for c in self.found}
        for control in badly_named_controls(tree or self.tree):
            if (control["role"], control["name"], control["where"]) not in seen:
                self.found.append(control)

    def click(self, node):
        action = node.acc.queryAction()
        for i in range(action.nActions):
            if action.getName(i) in ("click", "activate", "press"):
                action.doAction(i)
                return
        raise AssertionError("%r cannot be clicked" % node)

    # each test

    def test_window(self):
        self.window = self.session.wait_for("the Casebook window over AT-SPI", self.session.window)
        assert self.window.name == "Casebook", "the window is named %r" % self.window.name

        def ready(tree):
            results = self.named("the results list", "list", "Results", tree)
            assert len(results.children) > 10, "%d results" % len(results.children)
            self.find("the item %s in the reading pane" % self.ITEM,
                      lambda n: n.role == "label" and n.name == self.TITLE, tree)

        self.settle("the results and the item %s" % self.ITEM, ready)
        self.scan()

    def test_search_entry(self):
        def check(tree):
            entry = self.find("the search box", lambda n: n.role in ("entry", "text") and "Search" in n.name, tree)
            states = entry.acc.getState()
            assert states.contains(self.pyatspi.STATE_EDITABLE), "the search box is not editable"
            assert states.contains(self.pyatspi.STATE_FOCUSABLE), "the search box cannot take the focus"

        self.settle("the search box", check, fresh=False)

    def test_view_switcher(self):
        def check(tree):
            for title in ("Results", "Evidence Map", "Packs"):
                tab = self.named("a view switcher button", "page tab", title, tree)
                assert tab.acc.getState().contains(self.pyatspi.STATE_FOCUSABLE), "%s is not focusable" % title

        self.settle("the view switcher", check, fresh=False)

    def test_filters(self):
        def check(tree):
            pane = self.find("the filter pane", lambda n: n.name == "Filters", tree)
            checks = [n for n in pane.descendants() if n.role == "check box"]
            assert len(checks) > 20, "the filter pane has %d check boxes" % len(checks)
            names = []
            for box in checks:
                labels = box.labels()
                assert len(labels) == 2, "check box %r shows %r, not a value and a count" % (box.raw_name, labels)
                value, count = labels
                expected = re.compile(r"%s, %s results?" % (re.escape(value), re.escape(count)))
                assert expected.fullmatch(box.name), \
                    "the check box for %r (%s results) is named %r" % (value, count, box.raw_name)
                names.append(box.name)
            for value in ("Case study", "New Zealand"):
                assert any(n.startswith(value + ", ") for n in names), "no check box for %r among %r" % (value, names)

        self.settle("the filters", check, fresh=False)

    def test_results(self):
        def check(tree):
            results = self.named("the results list", "list", "Results", tree)
            items = [n for n in results.children if n.role == "list item"]
            assert len(items) > 10, "the results list has %d rows" % len(items)
            unnamed = [n for n in items if not n.name]
            assert not unnamed, "%d of %d result rows have no name" % (len(unnamed), len(items))
            for item in items[:ROWS_WALKED]:
                # list item > row > box > (badges, title, snippet)
                box = item.children[0].children[0]
                title = next(n.name for n in box.children if n.role == "label")
                assert title in item.name, "the result row showing %r is named %r" % (title, item.raw_name)
            assert any(self.TITLE in item.name for item in items), "no result row is named with %r" % self.TITLE

        self.settle("the result rows", check, fresh=False)

    def test_reading_pane(self):
        def check(tree):
            for text in ("Copy citation", "Add to pack"):
                button = self.named("a reading pane button", "push button", text, tree)
                assert button.acc.description, "%s has no tooltip" % text

        self.settle("the reading pane's buttons", check, fresh=False)

    def test_map(self):
        view = self.locate("the evidence map view", lambda n: n.raw_name == "CbEvidenceMap")
        self.click(self.locate("the Evidence Map tab", lambda n: n.role == "page tab" and n.name == "Evidence Map"))

        def check(tree):
            grid = self.find("the evidence map", lambda n: n.name == "Evidence map", tree)
            cells = [n for n in grid.children if n.role == "push button"]
            headers = [n for n in grid.children if n.role == "label"]
            assert len(cells) > 20 and len(headers) > 5, "the map has %d cells and %d headers" % (
                len(cells), len(headers))
            for cell in cells:
                shown = cell.labels()
                # The count is written in the cell, not only shown by its shade
                assert len(shown) == 1 and shown[0].isdigit(), "map cell %r shows %r, not a number" % (
                    cell.raw_name, shown)
                count = int(shown[0])
                expected = re.compile(r".+, .+: %d items?" % count)
                assert expected.fullmatch(cell.name), "the map cell showing %d is named %r" % (count, cell.raw_name)
            assert any(c.name.endswith(": 0 items") for c in cells), "no empty cell is announced as empty"
            for text in ("Countries", "Chapters"):
                self.named("the map's column switch", "push button", text, tree)

        self.scan(self.settle("the evidence map", check, view))

    def test_packs(self):
        view = self.locate("the packs view", lambda n: n.raw_name == "CbPackView")
        # The map takes the whole window: back to the results and the item
        self.click(self.locate("the Results tab", lambda n: n.role == "page tab" and n.name == "Results"))
        self.click(self.locate("the Add to Pack button", lambda n: n.role == "push button" and n.name == "Add to pack"))
        self.click(self.locate("the Packs tab", lambda n: n.role == "page tab" and n.name == "Packs"))

        def check(tree):
            items = self.named("the pack's items", "list", "Items of the pack", tree)
            self.named("the pack chooser", "combo box", "Pack", tree)
            self.named("the pack menu", "push button", "Pack menu", tree)
            self.named("the Export button", "push button", "Export", tree)
            row = self.find("the pack row for %r" % self.TITLE,
                            lambda n: n.role == "list item" and self.TITLE in n.name, items)
            self.find("the note field", lambda n: n.role == "text" and n.name.startswith("Note on "), row)
            for text in ("Move up", "Move down", "Remove from pack"):
                self.named("a pack row button", "push button", text, row)

        self.scan(self.settle("the Packs view", check, view))

    def test_every_control_named(self):
        assert self.found or self.tree is not None, "the window was never walked"
        unknown = [c for c in self.found if not any(known(c) for _, known in KNOWN)]
        # 191 result rows with no name make one line, not 191
        lines = {}
        for control in unknown:
            line = describe(control)
            lines[line] = lines.get(line, 0) + 1
        assert not unknown, "%d interactive controls without a proper name:\n%s" % (
            len(unknown), "\n".join("  %s%s" % ("%d × " % n if n > 1 else "", line) for line, n in lines.items()))

    def known_defect(self, index):
        fix, known = KNOWN[index]
        matches = [c for c in self.found if known(c)]
        assert not matches, "still there: %s\nfound: %s" % (fix, "; ".join(describe(c) for c in matches))


def style_sheets_use_relative_font_sizes(ui_dir):
    """Text follows the desktop's text scaling only if no style sheet fixes
    a font size in absolute units."""
    bad = []
    for file_name in sorted(os.listdir(ui_dir)):
        if not file_name.endswith(".css"):
            continue
        with open(os.path.join(ui_dir, file_name), encoding="utf-8") as css:
            text = re.sub(r"/\*.*?\*/", "", css.read(), flags=re.S)
        for match in re.finditer(r"(font-size|font)\s*:\s*([^;}]*)", text):
            if re.search(r"\d(px|pt|pc|cm|mm|in)\b|\b(xx-small|x-small|small|medium|large|x-large|xx-large)\b",
                         match.group(2)):
                line = text.count("\n", 0, match.start()) + 1
                bad.append("%s:%d: %s" % (file_name, line, match.group(0).strip()))
    assert not bad, "font sizes in absolute units (use em or rem): " + ", ".join(bad)


def main(argv):
    if len(argv) < 2:
        print("usage: test-a11y.py CASEBOOK [DATA-DIR]", file=sys.stderr)
        return 2
    binary = argv[1]
    data_dir = os.path.abspath(argv[2] if len(argv) > 2 else os.environ["CASEBOOK_DATA_DIR"])
    ui_dir = os.path.join(os.path.dirname(data_dir), "ui")
    session = Session(binary, data_dir, ["--item", Checks.ITEM])
    checks = Checks(session)
    tests = [
        ("the window appears on the accessibility bus", checks.test_window),
        ("the search box is an entry with a name", checks.test_search_entry),
        ("the view switcher has Results, Evidence Map and Packs", checks.test_view_switcher),
        ("filter check boxes are named with their value and count", checks.test_filters),
        ("result rows are named with their title", checks.test_results),
        ("the reading pane's buttons are named", checks.test_reading_pane),
        ("map cells are named with their count, which they also show", checks.test_map),
        ("the Packs view's controls are named", checks.test_packs),
        ("every interactive control in the window has a proper name", checks.test_every_control_named),
        ("casebook ran without warnings", session.check_log),
    ]
    tap = Tap()
    print("1..%d" % (1 + len(tests) + len(KNOWN)), flush=True)
    tap.run("style sheets size text in relative units", style_sheets_use_relative_font_sizes, ui_dir)

    if not start(session, tap, [d for d, _ in tests] + ["known defect: " + fix.split(";")[0] for fix, _ in KNOWN]):
        return 1 if tap.failed else 0

    try:
        for description, test in tests:
            if checks.window is None and test not in (checks.test_window, session.check_log):
                tap.report(description, "not ok", "no window to look at")
            else:
                tap.run(description, test)
        for i, (fix, _) in enumerate(KNOWN):
            summary = fix.split(";")[0]
            try:
                checks.known_defect(i)
            except AssertionError:
                tap.report("known defect: %s # TODO" % summary, "not ok")
            else:
                tap.report("known defect gone, take it out of KNOWN: %s # TODO" % summary, "ok")
    finally:
        session.stop()
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
