-- 资格审查: a candidate outside the committee's level, 品德考核不合格 or with
-- an unclean 诚信 record enters no round unless the chair records an
-- override with its reason (audited, printed in the minutes).
CREATE TABLE eligibility_override (
    candidate_id  TEXT PRIMARY KEY REFERENCES candidate(id),
    reason        TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    at            TEXT NOT NULL
) STRICT;

CREATE TRIGGER eligibility_override_no_update BEFORE UPDATE ON eligibility_override
BEGIN SELECT RAISE(ABORT, 'eligibility overrides are not changed'); END;
CREATE TRIGGER eligibility_override_no_delete BEFORE DELETE ON eligibility_override
BEGIN SELECT RAISE(ABORT, 'eligibility overrides are not deleted'); END;
