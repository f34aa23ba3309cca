"""Making a checkpoint on demand (an admin's POST, the CLI): under the write lock, so it names the head."""
from ..errors import Unavailable
from ..store import checkpoints
from ..store.db import write_transaction


def make_checkpoint():
    if checkpoints.current_signer() is None:
        raise Unavailable("this service has no checkpoint signing key: set CHECKPOINT_KEY or CHECKPOINT_KEY_FILE")
    with write_transaction():
        return checkpoints.make_now()
