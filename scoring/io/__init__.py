"""Reading and writing the files users hand us: targets and actuals JSON."""
