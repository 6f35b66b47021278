"""A stand-in extraction worker for the pool's tests: it obeys the worker protocol of
`service.pipeline.extraction` but reads the text for instructions instead of running spaCy.

"HANG" never answers, "CRASH" kills its process, "RAISE" reports an error; "WHO" takes a
tenth of a second and answers with the worker's process id, "GROW" holds 64 MB more and
answers the same, a text starting "WHEN" answers with when it started; any other text gets an
empty Extraction. A batch is answered as a whole, as `nlp.pipe` does.
"""

from __future__ import annotations

import os
import time
from multiprocessing.connection import Connection

from service.pipeline.extraction import ExtractorConfig
from service.pipeline.records import Extraction

_HELD: list[bytearray] = []  # what "GROW" keeps


def serve_by_instruction(connection: Connection, config: ExtractorConfig) -> None:
    del config  # nothing to load
    connection.send(("ready",))
    while True:
        message = connection.recv()
        if message is None:
            return
        batch, documents = message
        texts = [document.text for document in documents]
        if any("HANG" in text for text in texts):
            time.sleep(3600)
        if any("CRASH" in text for text in texts):
            os._exit(3)
        if any("RAISE" in text for text in texts):
            connection.send(("error", batch, "ValueError: asked to fail"))
            continue
        for n, text in enumerate(texts):
            if text == "WHO":
                time.sleep(0.1)
                text = str(os.getpid())
            elif text == "GROW":  # holds on to 64 MB more, and answers with its process id
                _HELD.append(bytearray(64 * 2**20))
                text = str(os.getpid())
            elif text.startswith("WHEN"):  # when the worker started it (clock of the machine)
                started = time.monotonic()
                time.sleep(0.1)
                text = repr(started)
            connection.send(("done", batch, n, Extraction(model_name=text)))
