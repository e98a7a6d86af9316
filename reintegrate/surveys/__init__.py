"""Monitoring after return: follow-up schedules, survey instruments as versioned data, and
the scores of answers. Pure domain: the standard library, msgspec and the project only.

- `instrument`: an instrument's dimensions, indicators, answer scales and weights, decoded
  from TOML or JSON and validated (every problem names its field);
- `scoring`: the score of a set of answers, exact (`fractions.Fraction`), in [0, 1];
- `plan`: the `[monitoring]` part of a programme's policy (when follow-ups fall due);
- `schedule`: which follow-ups of a case are due or overdue, and whether one may be recorded.
"""
