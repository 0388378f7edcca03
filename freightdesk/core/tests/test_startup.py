"""A web process settles after its start: what it loaded is kept out of the garbage collector's full passes."""

import gc

from freightdesk.core.startup import settle


def test_a_settled_process_keeps_its_startup_objects_out_of_the_collectors_passes():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        settle()
        assert gc.get_freeze_count() > 10_000  # the apps, the models, the URLconf and its views
    finally:
        gc.unfreeze()
