"""The layers show in the imports: rules need neither the database nor the web; the store and the use
cases need no web and no schemas. So a rule or a use case can be imported, run and tested on its own."""
import pkgutil
import subprocess
import sys

import pytest

import service.actions
import service.rules
import service.store


def modules(package):
    return [m.name for m in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]


FORBIDDEN = {"flask", "werkzeug", "schemas", "marshmallow", "flask_smorest"}
LAYERS = [(name, FORBIDDEN | {"peewee", "playhouse"}) for name in modules(service.rules)]
LAYERS += [(name, FORBIDDEN) for name in modules(service.store) + modules(service.actions)]


@pytest.mark.parametrize("module, forbidden", LAYERS, ids=[name for name, _ in LAYERS])
def test_a_module_imports_nothing_from_the_layers_above_it(module, forbidden):
    check = (f"import sys, {module}; "
             f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(forbidden)!r}))")
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-800:]
    assert done.stdout.strip() == "[]", f"{module} imports {done.stdout.strip()}"


def test_every_layer_has_its_modules():
    assert {"workflow", "provenance", "segmenting", "matching", "documents"} <= {
        name.rsplit(".", 1)[1] for name in modules(service.rules)}
    assert {"db", "models", "claims", "speakers", "audit", "search"} <= {
        name.rsplit(".", 1)[1] for name in modules(service.store)}
    assert {"claims", "speakers", "reviews", "importing"} <= {name.rsplit(".", 1)[1] for name in modules(service.actions)}
