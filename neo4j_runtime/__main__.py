import sys

from neo4j_runtime.launcher import main

sys.exit(main())
