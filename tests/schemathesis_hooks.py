"""schemathesis hooks (loaded through SCHEMATHESIS_HOOKS by tests/test_conformance.py)."""
import schemathesis

# POST /import takes NDJSON, documented as a binary string: send what is generated as raw bytes.
schemathesis.serializer.alias("application/x-ndjson", "application/octet-stream")
