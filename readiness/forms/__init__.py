"""Static forms (WTForms); dynamic questionnaire forms are built from definitions."""
