"""The layers show in the imports: below the HTTP and command-line edges nothing needs Flask or the
schemas, so a rule or a use case can be imported, run and tested on its own."""
import subprocess
import sys

import pytest

BELOW_THE_EDGE = ["service.workflow", "service.provenance", "service.segmenting", "service.matching",
                  "service.claims", "service.speakers", "service.sources", "service.reviews", "service.keys",
                  "service.audit", "service.search", "service.importing", "service.bulk", "service.seeding",
                  "service.liar", "service.claimreview", "service.migrations", "service.rules.extraction"]


@pytest.mark.parametrize("module", BELOW_THE_EDGE)
def test_a_module_below_the_edge_imports_neither_flask_nor_the_schemas(module):
    check = (f"import sys, {module}; "
             "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'schemas')); "
             "print(loaded); sys.exit(1 if loaded else 0)")
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert done.returncode == 0, f"{module} imports {done.stdout.strip()} {done.stderr[-500:]}"
