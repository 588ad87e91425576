"""Writes for voting events. One module per job:

- `authoring`  drafting, attachments, candidates, submission, review, cancellation
- `lifecycle`  opening (freezing the electorate), closing, counting, publishing
- `casting`    reading attachments, casting and changing ballots
- `signups`    representative sign-ups and their review
- `notices`    SMS and in-app notices
"""
