from foedus.cli import main

raise SystemExit(main())
