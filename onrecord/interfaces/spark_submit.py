"""``onrecord spark`` as a ``spark-submit`` application.

    spark-submit --master yarn $(python -m onrecord.interfaces.spark_submit) \\
        extract hdfs:///news/2024-03/ --output hdfs:///onrecord/2024-03

Without arguments it prints its own path (for ``spark-submit``); with them it runs
``onrecord spark ARGS`` in the session spark-submit made.
"""

from __future__ import annotations

import sys

if __name__ == "__main__":
    if len(sys.argv) == 1:
        print(__file__)
        sys.exit(0)
    from onrecord.interfaces.cli import main

    sys.exit(main(["spark", *sys.argv[1:]]))
