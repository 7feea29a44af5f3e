"""Learning from use: what was asked and voted (records, the journal, the usage tables), the
report that reads them, and the suggestions an editor accepts into the content."""
