"""The dashboard's questions: one `.sql` file per question, run by `queries.runner`."""
