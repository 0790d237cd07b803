"""Fanxing, the technology-transfer platform.

Web and job processes run many requests at once on few cores: one BLAS thread per process keeps the
matching index's linear algebra (a rebuild's SVD) from oversubscribing them, which here made a 400-record
rebuild take 13 s instead of 1 s. An operator's own OPENBLAS_NUM_THREADS wins.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
