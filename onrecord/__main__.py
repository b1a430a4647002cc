import sys

from onrecord.interfaces.cli import main

sys.exit(main())
