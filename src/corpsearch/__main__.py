from corpsearch.cli import main

main()
