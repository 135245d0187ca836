extension VitalsDatabase {
    /// What the esketamine REMS Patient Monitoring Form needs and earlier versions did not hold
    /// (reference/alarms-clinical.md A4): the lot number and the four concomitant-medication answers
    /// given at session start, the time of each nasal device, and the clinician's sedation,
    /// dissociation and respiratory-depression observations. A concomitant answer is 1 (yes), 0
    /// (no) or NULL (not asked): the report never turns a missing answer into "no".
    static let schemaV4Report = """
        ALTER TABLE sessions ADD COLUMN lot TEXT;
        ALTER TABLE sessions ADD COLUMN concomitant_benzodiazepine INTEGER CHECK (concomitant_benzodiazepine IN (0, 1));
        ALTER TABLE sessions ADD COLUMN concomitant_sedative_hypnotic INTEGER CHECK (concomitant_sedative_hypnotic IN (0, 1));
        ALTER TABLE sessions ADD COLUMN concomitant_psychostimulant INTEGER CHECK (concomitant_psychostimulant IN (0, 1));
        ALTER TABLE sessions ADD COLUMN concomitant_maoi INTEGER CHECK (concomitant_maoi IN (0, 1));

        CREATE TABLE dose_devices (
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            device INTEGER NOT NULL CHECK (device >= 1),
            t INTEGER NOT NULL,
            by TEXT,
            PRIMARY KEY (session_id, device)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE clinical_observations (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            t INTEGER NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            by TEXT
        ) STRICT;
        CREATE INDEX clinical_observations_session ON clinical_observations(session_id, t);
        """
}
