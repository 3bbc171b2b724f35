"""What the code alone says about candidates, before any history: the dependency graph
(`graph`), what each unit's calls mean (`classify`), the extents of candidates
(`candidates`), the static time model (`heat`) and each candidate's boundary (`boundary`)."""
