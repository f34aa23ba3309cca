"""Use cases: one function per write action, holding its transaction, its rows and its audit event; the
API, the command line, seeds and imports all call them."""
