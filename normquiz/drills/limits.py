"""The limits a check runs under, in one place (light to import: the CLI reads them before
it loads anything else)."""

DEFAULT_TIMEOUT_S = 10.0
MAX_TIMEOUT_S = 86_400.0
MIN_TIMEOUT_S = 0.1
DEFAULT_MEMORY_MB = 4096
MIN_MEMORY_MB = 256
MAX_MEMORY_MB = 2**20  # 1 TiB of address space
MAX_SUBMISSION_BYTES = 1_000_000
