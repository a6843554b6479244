from mdptm.cli import main

main()
