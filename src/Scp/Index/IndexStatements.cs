namespace EdgeCancer.Scp.Index;

/// <summary>
/// The store path's statements, shared by the Dapper path of <see cref="SqlArchiveIndex"/> (PostgreSQL, and SQLite
/// outside the store path) and the prepared commands of <see cref="SqliteInstanceWriter"/>. Both dialects accept the
/// same text (<c>ON CONFLICT … excluded</c>, <c>RETURNING</c>, <c>@name</c> parameters).
/// </summary>
internal static class IndexStatements
{
    public const string UpsertPatient = """
        INSERT INTO patient (patient_id, issuer_of_patient_id, patient_name, patient_birth_date, patient_sex, extra_json)
        VALUES (@id, @issuer, @name, @birth, @sex, @extra)
        ON CONFLICT (patient_id, issuer_of_patient_id) DO UPDATE SET
            patient_name = COALESCE(excluded.patient_name, patient.patient_name),
            patient_birth_date = COALESCE(excluded.patient_birth_date, patient.patient_birth_date),
            patient_sex = COALESCE(excluded.patient_sex, patient.patient_sex),
            extra_json = COALESCE(excluded.extra_json, patient.extra_json)
        RETURNING pk
        """;

    public const string UpsertStudy = """
        INSERT INTO study (patient_fk, study_instance_uid, study_date, study_time, study_time_n, accession_number, study_id,
                           study_description, referring_physician_name, specific_character_set, extra_json, updated_at)
        VALUES (@patient, @uid, @date, @time, @timeN, @accession, @studyId, @description, @referring, @charset, @extra, @now)
        ON CONFLICT (study_instance_uid) DO UPDATE SET
            study_date = COALESCE(excluded.study_date, study.study_date),
            study_time = COALESCE(excluded.study_time, study.study_time),
            study_time_n = COALESCE(excluded.study_time_n, study.study_time_n),
            accession_number = COALESCE(excluded.accession_number, study.accession_number),
            study_id = COALESCE(excluded.study_id, study.study_id),
            study_description = COALESCE(excluded.study_description, study.study_description),
            referring_physician_name = COALESCE(excluded.referring_physician_name, study.referring_physician_name),
            specific_character_set = COALESCE(excluded.specific_character_set, study.specific_character_set),
            extra_json = COALESCE(excluded.extra_json, study.extra_json),
            updated_at = excluded.updated_at
        RETURNING pk
        """;

    public const string UpsertSeries = """
        INSERT INTO series (study_fk, series_instance_uid, modality, series_number, series_description, body_part_examined,
                            manufacturer, manufacturer_model_name, series_date, series_time, series_time_n, extra_json, updated_at)
        VALUES (@study, @uid, @modality, @number, @description, @bodyPart, @manufacturer, @model, @date, @time, @timeN, @extra, @now)
        ON CONFLICT (series_instance_uid) DO UPDATE SET
            modality = COALESCE(excluded.modality, series.modality),
            series_number = COALESCE(excluded.series_number, series.series_number),
            series_description = COALESCE(excluded.series_description, series.series_description),
            body_part_examined = COALESCE(excluded.body_part_examined, series.body_part_examined),
            manufacturer = COALESCE(excluded.manufacturer, series.manufacturer),
            manufacturer_model_name = COALESCE(excluded.manufacturer_model_name, series.manufacturer_model_name),
            series_date = COALESCE(excluded.series_date, series.series_date),
            series_time = COALESCE(excluded.series_time, series.series_time),
            series_time_n = COALESCE(excluded.series_time_n, series.series_time_n),
            extra_json = COALESCE(excluded.extra_json, series.extra_json),
            updated_at = excluded.updated_at
        RETURNING pk, study_fk
        """;

    public const string InsertInstance = """
        INSERT INTO instance (series_fk, sop_instance_uid, sop_class_uid, instance_number, transfer_syntax_uid, content_date,
            content_time, content_time_n, completion_flag, verification_flag, preliminary_flag, concept_code_value,
            concept_coding_scheme, concept_code_meaning, image_type, image_rows, image_columns, number_of_frames, file_path,
            file_size, sha256, specific_character_set, extra_json, received_at)
        VALUES (@series, @uid, @sopClass, @number, @ts, @date, @time, @timeN, @completion, @verification, @preliminary,
            @codeValue, @codeScheme, @codeMeaning, @imageType, @rows, @columns, @frames, @path, @size, @sha, @charset, @extra, @now)
        """;

    public const string InsertWork = """
        INSERT INTO work_queue (sop_instance_uid, study_instance_uid, series_instance_uid, kind, state, attempts, available_at, created_at)
        VALUES (@sop, @study, @series, @kind, 'pending', 0, @now, @now)
        RETURNING id
        """;
}
