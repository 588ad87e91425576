"""Personal data: normalisation, validation, encryption at rest, blind indexes and masking.

`crypto`, `idnumbers`, `phones` and `masking` are plain Python (no Django import);
`keys` builds the process-wide keyring from settings.
"""
