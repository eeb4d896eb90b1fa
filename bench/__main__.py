import subprocess
import sys

from bench.run import main

try:
    sys.exit(main())
except subprocess.CalledProcessError as error:
    sys.exit(f"make bench: a step failed (above): {' '.join(map(str, error.cmd[1:4]))}")
except KeyboardInterrupt:
    sys.exit(130)
