-- The chair's authority: who opened, closed and confirmed each round, and
-- who recorded each eligibility override (member ids; the chair, or a vice
-- chair where the chair is absent or recused). NULL in meetings from before.
ALTER TABLE round ADD COLUMN opened_by TEXT REFERENCES member(id);
ALTER TABLE round ADD COLUMN closed_by TEXT REFERENCES member(id);
ALTER TABLE round ADD COLUMN confirmed_by TEXT REFERENCES member(id);
ALTER TABLE eligibility_override ADD COLUMN authorized_by TEXT REFERENCES member(id);
