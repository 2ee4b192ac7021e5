"""Running untrusted code: a forked child with limits, a long-lived worker, its protocol.

Generic on purpose: it knows nothing of drills, cases or snippets. Features register the
operations a worker serves by ``"module:function"`` name (``protocol.WorkerSpec``).
"""
