"""`python -m sume_notebook ...`: the console `sume`, for where the script is not on PATH."""

from .notebook.console import main

raise SystemExit(main())
