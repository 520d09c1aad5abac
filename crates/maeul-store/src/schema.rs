//! The tables, shared by both engines (the DDL differs per engine, the columns do not).

diesel::table! {
    regions (code) {
        code -> Text,
        level -> Text,
        kind -> Text,
        name -> Text,
        full_name -> Text,
        parent_code -> Nullable<Text>,
        path -> Text,
        created_on -> Nullable<Text>,
        retired_on -> Nullable<Text>,
    }
}

diesel::table! {
    region_imports (id) {
        id -> BigInt,
        source -> Text,
        imported_at -> BigInt,
        created -> BigInt,
        retired -> BigInt,
        renamed -> BigInt,
    }
}

diesel::table! {
    region_changes (id) {
        id -> BigInt,
        import_id -> BigInt,
        code -> Text,
        change -> Text,
        old_name -> Nullable<Text>,
        new_name -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        login -> Text,
        name -> Text,
        password_hash -> Text,
        failed_logins -> Integer,
        locked_until -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    grants (id) {
        id -> BigInt,
        user_id -> BigInt,
        role -> Text,
        scope_code -> Text,
        granted_at -> BigInt,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        csrf_token -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    api_tokens (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    access_log (id) {
        id -> BigInt,
        at -> BigInt,
        user_id -> Nullable<BigInt>,
        user_login -> Text,
        address -> Text,
        subject -> Text,
        action -> Text,
        purpose -> Nullable<Text>,
        region_code -> Nullable<Text>,
    }
}

diesel::table! {
    meta (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    discovery_rounds (id) {
        id -> BigInt,
        name -> Text,
        model_name -> Text,
        model_version -> BigInt,
        model_toml -> Text,
        as_of -> Text,
        opens_on -> Text,
        due_on -> Text,
        digest -> Text,
        listed -> BigInt,
        loaded_at -> BigInt,
    }
}

diesel::table! {
    discovery_indicators (round_id, code) {
        round_id -> BigInt,
        code -> Text,
        name -> Text,
        weight -> Double,
    }
}

diesel::table! {
    discovery_candidates (id) {
        id -> BigInt,
        round_id -> BigInt,
        emd_code -> Text,
        rank -> BigInt,
        household_ref -> Text,
        household_id -> Binary,
        members -> BigInt,
        head_age -> BigInt,
        tags -> Text,
        probability -> Double,
        reasons -> Text,
        assigned_to -> Nullable<BigInt>,
        visited_on -> Nullable<Text>,
        outcome -> Nullable<Text>,
    }
}

diesel::table! {
    discovery_visits (id) {
        id -> BigInt,
        candidate_id -> BigInt,
        visited_on -> Text,
        outcome -> Text,
        note -> Nullable<Binary>,
        recorded_by -> BigInt,
        recorded_at -> BigInt,
        domains -> Text,
    }
}

diesel::table! {
    cases (id) {
        id -> BigInt,
        emd_code -> Text,
        person_name -> Binary,
        birth_year -> Nullable<BigInt>,
        source -> Text,
        candidate_id -> Nullable<BigInt>,
        opened_on -> Text,
        last_step -> Text,
        last_done_on -> Text,
        next_step -> Text,
        next_due -> Text,
        classification -> Nullable<Text>,
        closed_on -> Nullable<Text>,
        assigned_to -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    case_steps (id) {
        id -> BigInt,
        case_id -> BigInt,
        step -> Text,
        done_on -> Text,
        needs -> Text,
        crisis -> Nullable<Text>,
        classification -> Nullable<Text>,
        closure_reason -> Nullable<Text>,
        note -> Nullable<Binary>,
        recorded_by -> BigInt,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    health_people (id) {
        id -> BigInt,
        emd_code -> Text,
        person_name -> Binary,
        birth_year -> Nullable<BigInt>,
        risk_group -> Text,
        registered_on -> Text,
        last_visit_on -> Nullable<Text>,
        next_due -> Text,
        nurse_id -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    health_visits (id) {
        id -> BigInt,
        person_id -> BigInt,
        visited_on -> Text,
        systolic -> Nullable<BigInt>,
        diastolic -> Nullable<BigInt>,
        glucose -> Nullable<BigInt>,
        height_cm -> Nullable<Double>,
        weight_kg -> Nullable<Double>,
        frailty -> Nullable<BigInt>,
        note -> Nullable<Binary>,
        recorded_by -> BigInt,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    health_group_changes (id) {
        id -> BigInt,
        person_id -> BigInt,
        changed_on -> Text,
        from_group -> Nullable<Text>,
        to_group -> Text,
        recorded_by -> BigInt,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    resources (id) {
        id -> BigInt,
        area_code -> Text,
        name -> Text,
        category -> Text,
        sector -> Text,
        provider -> Text,
        capacity -> Nullable<BigInt>,
        contact -> Text,
        description -> Text,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    referrals (id) {
        id -> BigInt,
        resource_id -> BigInt,
        case_id -> Nullable<BigInt>,
        candidate_id -> Nullable<BigInt>,
        health_person_id -> Nullable<BigInt>,
        emd_code -> Text,
        status -> Text,
        requested_on -> Text,
        updated_on -> Text,
        result -> Nullable<Binary>,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    assemblies (id) {
        id -> BigInt,
        emd_code -> Text,
        title -> Text,
        rules -> Text,
        status -> Text,
        online -> BigInt,
        advance -> BigInt,
        booth -> BigInt,
        mobile_booth -> BigInt,
        ballot_hash -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> BigInt,
        opened_at -> Nullable<BigInt>,
        closed_at -> Nullable<BigInt>,
        snapshot -> Nullable<Text>,
    }
}

diesel::table! {
    assembly_items (id) {
        id -> BigInt,
        assembly_id -> BigInt,
        position -> BigInt,
        title -> Text,
    }
}

diesel::table! {
    assembly_counts (assembly_id, item_position, option_position) {
        assembly_id -> BigInt,
        item_position -> BigInt,
        option_position -> BigInt,
        votes -> BigInt,
    }
}

diesel::table! {
    voting_codes (assembly_id, code_digest) {
        assembly_id -> BigInt,
        code_digest -> Text,
        resident_key -> Text,
    }
}

diesel::table! {
    assembly_participations (assembly_id, resident_key) {
        assembly_id -> BigInt,
        resident_key -> Text,
        channel -> Text,
        booth -> Text,
    }
}

diesel::table! {
    assembly_ballots (assembly_id, receipt) {
        assembly_id -> BigInt,
        receipt -> Text,
        content -> Text,
    }
}

diesel::table! {
    assembly_booths (assembly_id, name) {
        assembly_id -> BigInt,
        name -> Text,
        kind -> Text,
        checked_in -> BigInt,
        ballots -> Nullable<BigInt>,
        counts -> Nullable<Text>,
        entered_by -> Nullable<BigInt>,
        entered_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    councils (emd_code) {
        emd_code -> Text,
        status -> Text,
        ordinance -> Nullable<Text>,
        ordinance_on -> Nullable<Text>,
        pilot_designated_on -> Nullable<Text>,
        updated_at -> BigInt,
    }
}

diesel::table! {
    council_changes (id) {
        id -> BigInt,
        emd_code -> Text,
        status -> Text,
        ordinance -> Nullable<Text>,
        ordinance_on -> Nullable<Text>,
        pilot_designated_on -> Nullable<Text>,
        source -> Text,
        changed_by -> Nullable<BigInt>,
        changed_at -> BigInt,
    }
}

diesel::table! {
    subcommittees (id) {
        id -> BigInt,
        emd_code -> Text,
        name -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    council_meetings (id) {
        id -> BigInt,
        emd_code -> Text,
        subcommittee_id -> Nullable<BigInt>,
        title -> Text,
        held_on -> Text,
        agenda -> Text,
        attended -> BigInt,
        members -> BigInt,
        minutes -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    lotteries (id) {
        id -> BigInt,
        emd_code -> Text,
        title -> Text,
        rules -> Text,
        seed -> Nullable<Text>,
        seed_published_at -> Nullable<BigInt>,
        outcome -> Nullable<Text>,
        drawn_at -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    lottery_applications (lottery_id, number) {
        lottery_id -> BigInt,
        number -> Text,
        name -> Text,
        category -> Text,
        gender -> Text,
        training_hours -> BigInt,
        school_enrolment_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    council_members (id) {
        id -> BigInt,
        emd_code -> Text,
        name -> Text,
        gender -> Text,
        role -> Text,
        subcommittee_id -> Nullable<BigInt>,
        term_starts -> Text,
        term_ends -> Text,
        ended_on -> Nullable<Text>,
        lottery_id -> Nullable<BigInt>,
        application_number -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    agenda_items (id) {
        id -> BigInt,
        emd_code -> Text,
        title -> Text,
        body -> Text,
        topic -> Text,
        rough_cost -> Nullable<BigInt>,
        proposed_by -> BigInt,
        supports -> BigInt,
        status -> Text,
        answer -> Nullable<Text>,
        answered_at -> Nullable<BigInt>,
        hidden_reason -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    agenda_supports (item_id, user_id) {
        item_id -> BigInt,
        user_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    agenda_ladders (emd_code) {
        emd_code -> Text,
        review -> BigInt,
        answer -> BigInt,
    }
}

diesel::table! {
    agenda_actions (id) {
        id -> BigInt,
        item_id -> BigInt,
        action -> Text,
        text -> Text,
        acted_by -> BigInt,
        acted_at -> BigInt,
    }
}

diesel::joinable!(grants -> users (user_id));
diesel::joinable!(assemblies -> regions (emd_code));
diesel::joinable!(resources -> regions (area_code));
diesel::joinable!(referrals -> resources (resource_id));
diesel::joinable!(health_people -> regions (emd_code));
diesel::joinable!(health_visits -> health_people (person_id));
diesel::joinable!(health_group_changes -> health_people (person_id));
diesel::joinable!(cases -> regions (emd_code));
diesel::joinable!(case_steps -> cases (case_id));
diesel::joinable!(case_steps -> users (recorded_by));
diesel::joinable!(discovery_candidates -> discovery_rounds (round_id));
diesel::joinable!(discovery_candidates -> regions (emd_code));
diesel::joinable!(discovery_candidates -> users (assigned_to));
diesel::joinable!(discovery_visits -> discovery_candidates (candidate_id));
diesel::joinable!(discovery_visits -> users (recorded_by));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    regions,
    grants,
    users,
    sessions,
    api_tokens,
    access_log,
    discovery_rounds,
    discovery_indicators,
    discovery_candidates,
    discovery_visits,
    cases,
    case_steps,
    health_people,
    health_visits,
    health_group_changes,
    resources,
    referrals,
    visit_plans
);

diesel::table! {
    visit_plans (id) {
        id -> BigInt,
        emd_code -> Text,
        candidate_id -> Nullable<BigInt>,
        case_id -> Nullable<BigInt>,
        health_person_id -> Nullable<BigInt>,
        staff_id -> BigInt,
        planned_on -> Text,
        planned_at -> Nullable<Text>,
        purpose -> Binary,
        status -> Text,
        done_on -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    programmes (id) {
        id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    programme_versions (programme_id, year) {
        programme_id -> BigInt,
        year -> BigInt,
        ministry -> Text,
        name -> Text,
        summary -> Text,
        target -> Text,
        target_units -> Text,
        topics -> Text,
        eligibility -> Text,
        amount_min -> Nullable<BigInt>,
        amount_max -> Nullable<BigInt>,
        years -> Nullable<BigInt>,
        opens_on -> Nullable<Text>,
        closes_on -> Nullable<Text>,
        source -> Text,
        as_of -> Nullable<Text>,
        updated_at -> BigInt,
    }
}

diesel::table! {
    programme_revision (id) {
        id -> BigInt,
        revision -> BigInt,
    }
}

diesel::table! {
    programme_changes (id) {
        id -> BigInt,
        programme_id -> BigInt,
        year -> BigInt,
        origin -> Text,
        changed_by -> Nullable<BigInt>,
        before -> Nullable<Text>,
        after -> Text,
        changed_at -> BigInt,
    }
}

// Ballot secrecy (DESIGN.md §4): `assembly_ballots` is deliberately left out of every
// joinable and allow-tables declaration, so no query can put a ballot beside a participation.
diesel::allow_tables_to_appear_in_same_query!(
    assemblies,
    assembly_items,
    assembly_counts,
    voting_codes,
    assembly_participations,
    assembly_booths,
    regions
);

diesel::joinable!(councils -> regions (emd_code));
diesel::joinable!(council_meetings -> subcommittees (subcommittee_id));
diesel::joinable!(lottery_applications -> lotteries (lottery_id));
diesel::joinable!(council_members -> subcommittees (subcommittee_id));
diesel::allow_tables_to_appear_in_same_query!(
    council_members,
    councils,
    council_changes,
    subcommittees,
    council_meetings,
    lotteries,
    lottery_applications,
    regions
);

diesel::allow_tables_to_appear_in_same_query!(
    agenda_items,
    agenda_supports,
    agenda_ladders,
    agenda_actions,
    regions
);

diesel::joinable!(programme_versions -> programmes (programme_id));
diesel::allow_tables_to_appear_in_same_query!(
    programmes,
    programme_versions,
    programme_changes,
    users
);

diesel::table! {
    autonomy_plans (id) {
        id -> BigInt,
        emd_code -> Text,
        year -> BigInt,
        status -> Text,
        assembly_id -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    autonomy_plan_items (id) {
        id -> BigInt,
        plan_id -> BigInt,
        title -> Text,
        description -> Text,
        topic -> Text,
        budget -> BigInt,
        funding -> Text,
        subcommittee_id -> Nullable<BigInt>,
        agenda_item_id -> Nullable<BigInt>,
        ballot_item -> Nullable<Text>,
        ballot_option -> Nullable<Text>,
        decision -> Text,
        spent -> Nullable<BigInt>,
        settlement_note -> Text,
        created_at -> BigInt,
        progress -> BigInt,
    }
}

diesel::table! {
    autonomy_plan_events (id) {
        id -> BigInt,
        plan_id -> BigInt,
        action -> Text,
        detail -> Text,
        acted_by -> BigInt,
        acted_at -> BigInt,
    }
}

diesel::joinable!(autonomy_plan_items -> autonomy_plans (plan_id));
diesel::joinable!(autonomy_plan_items -> subcommittees (subcommittee_id));
diesel::joinable!(autonomy_plan_events -> users (acted_by));
diesel::allow_tables_to_appear_in_same_query!(
    autonomy_plans,
    autonomy_plan_items,
    autonomy_plan_events,
    subcommittees,
    users
);

diesel::table! {
    linkages (id) {
        id -> BigInt,
        emd_code -> Text,
        programme_id -> BigInt,
        plan_item_id -> Nullable<BigInt>,
        agenda_item_id -> Nullable<BigInt>,
        title -> Text,
        stage -> Text,
        owner -> Text,
        due_on -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    linkage_steps (id) {
        id -> BigInt,
        linkage_id -> BigInt,
        stage -> Text,
        on_date -> Text,
        owner -> Text,
        note -> Text,
        due_on -> Nullable<Text>,
        amount -> Nullable<BigInt>,
        recorded_by -> BigInt,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    linkage_documents (id) {
        id -> BigInt,
        linkage_id -> BigInt,
        stage -> Text,
        name -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        content -> Binary,
        uploaded_by -> BigInt,
        uploaded_at -> BigInt,
    }
}

diesel::joinable!(linkage_steps -> users (recorded_by));
diesel::joinable!(linkage_documents -> users (uploaded_by));
diesel::allow_tables_to_appear_in_same_query!(linkages, linkage_steps, linkage_documents, users);
diesel::allow_tables_to_appear_in_same_query!(linkages, regions);

diesel::table! {
    autonomy_plan_funds (plan_id, funding) {
        plan_id -> BigInt,
        funding -> Text,
        amount -> BigInt,
    }
}

diesel::table! {
    autonomy_plan_milestones (id) {
        id -> BigInt,
        item_id -> BigInt,
        title -> Text,
        due_on -> Text,
        done_on -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    autonomy_plan_updates (id) {
        id -> BigInt,
        item_id -> BigInt,
        body -> Text,
        progress -> BigInt,
        spent -> Nullable<BigInt>,
        posted_by -> BigInt,
        posted_at -> BigInt,
    }
}

diesel::joinable!(autonomy_plan_milestones -> autonomy_plan_items (item_id));
diesel::joinable!(autonomy_plan_updates -> autonomy_plan_items (item_id));
diesel::allow_tables_to_appear_in_same_query!(
    autonomy_plan_items,
    autonomy_plan_milestones,
    autonomy_plan_updates
);

diesel::table! {
    participation_certificates (code) {
        code -> Text,
        kind -> Text,
        emd_code -> Text,
        place_name -> Text,
        assembly_id -> Nullable<BigInt>,
        meeting_id -> Nullable<BigInt>,
        holder_key -> Text,
        holder_name -> Binary,
        event_title -> Text,
        event_on -> Text,
        event_until -> Nullable<Text>,
        issued_on -> Text,
        issued_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    corporations (id) {
        id -> BigInt,
        emd_code -> Text,
        name -> Text,
        kind -> Text,
        registration_no -> Nullable<Text>,
        representative -> Text,
        founded_on -> Nullable<Text>,
        contact -> Text,
        description -> Text,
        created_by -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    corporation_contracts (id) {
        id -> BigInt,
        corporation_id -> BigInt,
        title -> Text,
        kind -> Text,
        amount -> BigInt,
        starts_on -> Text,
        ends_on -> Text,
        plan_item_id -> Nullable<BigInt>,
        spent -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    corporation_reports (id) {
        id -> BigInt,
        contract_id -> BigInt,
        body -> Text,
        spent -> Nullable<BigInt>,
        reported_by -> BigInt,
        reported_at -> BigInt,
    }
}

diesel::joinable!(corporation_contracts -> corporations (corporation_id));
diesel::joinable!(corporation_reports -> corporation_contracts (contract_id));
diesel::allow_tables_to_appear_in_same_query!(
    corporations,
    corporation_contracts,
    corporation_reports
);

diesel::table! {
    resident_verifications (user_id, emd_code) {
        user_id -> BigInt,
        emd_code -> Text,
        account_key -> Text,
        resident_ref -> Binary,
        verified_by -> BigInt,
        verified_on -> Text,
    }
}

diesel::joinable!(resident_verifications -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(resident_verifications, users);
diesel::allow_tables_to_appear_in_same_query!(resident_verifications, grants);

diesel::table! {
    grant_calls (id) {
        id -> BigInt,
        title -> Text,
        ministry -> Text,
        summary -> Text,
        programme_id -> Nullable<BigInt>,
        budget -> BigInt,
        award_cap -> BigInt,
        units -> Text,
        eligibility -> Text,
        criteria -> Text,
        pass_mark -> BigInt,
        opens_on -> Text,
        closes_on -> Text,
        announce_on -> Text,
        status -> Text,
        awarded_on -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    grant_call_reviewers (call_id, user_id) {
        call_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::table! {
    grant_applications (id) {
        id -> BigInt,
        call_id -> BigInt,
        sigungu_code -> Text,
        emd_code -> Nullable<Text>,
        title -> Text,
        summary -> Text,
        amount -> BigInt,
        score -> Nullable<BigInt>,
        rank -> Nullable<BigInt>,
        outcome -> Nullable<Text>,
        notice_no -> Nullable<Text>,
        spent -> Nullable<BigInt>,
        submitted_by -> BigInt,
        submitted_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    grant_scores (application_id, reviewer_id) {
        application_id -> BigInt,
        reviewer_id -> BigInt,
        scores -> Text,
        total -> BigInt,
        comment -> Text,
        scored_at -> BigInt,
    }
}

diesel::table! {
    grant_reports (id) {
        id -> BigInt,
        application_id -> BigInt,
        body -> Text,
        spent -> Nullable<BigInt>,
        reported_by -> BigInt,
        reported_at -> BigInt,
    }
}

diesel::joinable!(grant_call_reviewers -> grant_calls (call_id));
diesel::joinable!(grant_call_reviewers -> users (user_id));
diesel::joinable!(grant_applications -> grant_calls (call_id));
diesel::joinable!(grant_scores -> grant_applications (application_id));
diesel::joinable!(grant_scores -> users (reviewer_id));
diesel::joinable!(grant_reports -> grant_applications (application_id));
diesel::allow_tables_to_appear_in_same_query!(
    grant_calls,
    grant_call_reviewers,
    grant_applications,
    grant_scores,
    grant_reports,
    users
);
diesel::allow_tables_to_appear_in_same_query!(grant_applications, regions);

diesel::table! {
    practices (id) {
        id -> BigInt,
        region_code -> Text,
        title -> Text,
        topic -> Text,
        summary -> Text,
        body -> Text,
        results -> Text,
        programme_id -> Nullable<BigInt>,
        agenda_item_id -> Nullable<BigInt>,
        plan_item_id -> Nullable<BigInt>,
        status -> Text,
        revision -> BigInt,
        published_on -> Nullable<Text>,
        submitted_by -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    practice_reviews (id) {
        id -> BigInt,
        practice_id -> BigInt,
        decision -> Text,
        note -> Text,
        reviewed_by -> BigInt,
        reviewed_at -> BigInt,
    }
}

diesel::joinable!(practices -> regions (region_code));
diesel::joinable!(practice_reviews -> practices (practice_id));
diesel::joinable!(practice_reviews -> users (reviewed_by));
diesel::allow_tables_to_appear_in_same_query!(practices, practice_reviews);
diesel::allow_tables_to_appear_in_same_query!(practices, regions);
diesel::allow_tables_to_appear_in_same_query!(practices, users);
diesel::allow_tables_to_appear_in_same_query!(practice_reviews, users);
diesel::allow_tables_to_appear_in_same_query!(practices, agenda_items);
diesel::allow_tables_to_appear_in_same_query!(practices, autonomy_plan_items);

diesel::table! {
    officers (id) {
        id -> BigInt,
        region_code -> Text,
        field -> Text,
        name -> Text,
        department -> Text,
        position -> Text,
        phone -> Text,
        email -> Text,
        updated_by -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::joinable!(officers -> regions (region_code));
diesel::allow_tables_to_appear_in_same_query!(officers, regions);

diesel::table! {
    org_models (emd_code) {
        emd_code -> Text,
        model -> Text,
        since -> Nullable<Text>,
        planned_model -> Nullable<Text>,
        planned_on -> Nullable<Text>,
        teams -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    org_model_changes (id) {
        id -> BigInt,
        emd_code -> Text,
        model -> Text,
        since -> Nullable<Text>,
        planned_model -> Nullable<Text>,
        planned_on -> Nullable<Text>,
        teams -> Text,
        source -> Text,
        changed_by -> Nullable<BigInt>,
        changed_at -> BigInt,
    }
}

diesel::joinable!(org_models -> regions (emd_code));
diesel::allow_tables_to_appear_in_same_query!(org_models, regions);

diesel::table! {
    staff_posts (id) {
        id -> BigInt,
        kind -> Text,
        holder -> Nullable<Text>,
        since -> Nullable<Text>,
        quota_code -> Text,
        quota_path -> Text,
        placement_code -> Text,
        placement_path -> Text,
        updated_by -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    promotion_council_members (id) {
        id -> BigInt,
        region_code -> Text,
        name -> Text,
        affiliation -> Text,
        organisation -> Text,
        chair -> Bool,
        joined_on -> Text,
        left_on -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    promotion_council_meetings (id) {
        id -> BigInt,
        region_code -> Text,
        title -> Text,
        held_on -> Text,
        attended -> Integer,
        minutes -> Text,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    promotion_council_decisions (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        kind -> Text,
        summary -> Text,
    }
}

diesel::joinable!(promotion_council_decisions -> promotion_council_meetings (meeting_id));
diesel::allow_tables_to_appear_in_same_query!(
    promotion_council_decisions,
    promotion_council_meetings
);

diesel::table! {
    dashboard_counts (region_code, metric) {
        region_code -> Text,
        metric -> Text,
        n -> BigInt,
    }
}
diesel::allow_tables_to_appear_in_same_query!(dashboard_counts, regions);

diesel::table! {
    guides (id) {
        id -> BigInt,
        slug -> Text,
        subject -> Text,
        title -> Text,
        summary -> Text,
        body -> Text,
        revision -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    guide_revisions (id) {
        id -> BigInt,
        guide_id -> BigInt,
        revision -> BigInt,
        subject -> Text,
        title -> Text,
        summary -> Text,
        body -> Text,
        source -> Text,
        edited_by -> Nullable<BigInt>,
        edited_at -> BigInt,
    }
}

diesel::joinable!(guide_revisions -> guides (guide_id));
diesel::joinable!(guide_revisions -> users (edited_by));
diesel::allow_tables_to_appear_in_same_query!(guides, guide_revisions, users);

diesel::table! {
    courses (id) {
        id -> BigInt,
        region_code -> Text,
        title -> Text,
        audience -> Text,
        autonomy_school -> Bool,
        required_minutes -> Integer,
        description -> Text,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    course_sessions (id) {
        id -> BigInt,
        course_id -> BigInt,
        title -> Text,
        held_on -> Text,
        minutes -> Integer,
    }
}

diesel::table! {
    course_enrolments (id) {
        id -> BigInt,
        course_id -> BigInt,
        region_code -> Text,
        name -> Text,
        affiliation -> Text,
        completed -> Bool,
        enrolled_by -> BigInt,
        enrolled_at -> BigInt,
    }
}

diesel::table! {
    course_attendance (enrolment_id, session_id) {
        enrolment_id -> BigInt,
        session_id -> BigInt,
        minutes -> Integer,
    }
}

diesel::table! {
    course_certificates (code) {
        code -> Text,
        enrolment_id -> BigInt,
        course_id -> BigInt,
        region_code -> Text,
        region_name -> Text,
        holder_name -> Binary,
        affiliation -> Text,
        course_title -> Text,
        first_on -> Text,
        last_on -> Text,
        minutes -> Integer,
        issued_on -> Text,
        issued_by -> BigInt,
    }
}

diesel::joinable!(courses -> regions (region_code));
diesel::joinable!(course_sessions -> courses (course_id));
diesel::joinable!(course_enrolments -> courses (course_id));
diesel::joinable!(course_attendance -> course_enrolments (enrolment_id));
diesel::joinable!(course_attendance -> course_sessions (session_id));
diesel::joinable!(course_certificates -> course_enrolments (enrolment_id));
diesel::allow_tables_to_appear_in_same_query!(
    courses,
    course_sessions,
    course_enrolments,
    course_attendance,
    course_certificates,
    regions
);

diesel::table! {
    mous (id) {
        id -> BigInt,
        region_code -> Text,
        title -> Text,
        kind -> Text,
        parties -> Text,
        signed_on -> Text,
        ends_on -> Nullable<Text>,
        scope -> Text,
        created_by -> BigInt,
        created_at -> BigInt,
    }
}

diesel::joinable!(mous -> regions (region_code));
diesel::allow_tables_to_appear_in_same_query!(mous, regions);

diesel::table! {
    experts (id) {
        id -> BigInt,
        region_code -> Text,
        name -> Text,
        organisation -> Text,
        specialties -> Text,
        regions -> Text,
        availability -> Text,
        email -> Text,
        phone -> Text,
        profile -> Text,
        created_by -> BigInt,
        updated_at -> BigInt,
        removed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    consultations (id) {
        id -> BigInt,
        region_code -> Text,
        title -> Text,
        specialty -> Text,
        needs -> Text,
        wanted_by -> Nullable<Text>,
        status -> Text,
        requested_by -> BigInt,
        requested_on -> Text,
        expert_id -> Nullable<BigInt>,
        expert_user_id -> Nullable<BigInt>,
        assigned_by -> Nullable<BigInt>,
        assigned_on -> Nullable<Text>,
        held_on -> Nullable<Text>,
        hours -> Nullable<BigInt>,
        findings -> Nullable<Text>,
        recommendations -> Nullable<Text>,
        reported_by -> Nullable<BigInt>,
        withdrawn_reason -> Nullable<Text>,
        closed_by -> Nullable<BigInt>,
        closed_on -> Nullable<Text>,
        revision -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::joinable!(consultations -> regions (region_code));
diesel::joinable!(consultations -> experts (expert_id));
diesel::allow_tables_to_appear_in_same_query!(consultations, regions, experts);

diesel::table! {
    forums (id) {
        id -> BigInt,
        region_code -> Text,
        title -> Text,
        kind -> Text,
        topic -> Text,
        held_on -> Text,
        starts_at -> Text,
        venue -> Text,
        capacity -> Nullable<BigInt>,
        supported_by -> Text,
        taken -> BigInt,
        attendance -> Nullable<BigInt>,
        summary -> Nullable<Text>,
        proposals -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> BigInt,
        recorded_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    forum_sign_ups (forum_id, user_id) {
        forum_id -> BigInt,
        user_id -> BigInt,
        signed_at -> BigInt,
    }
}

diesel::joinable!(forums -> regions (region_code));
diesel::joinable!(forum_sign_ups -> forums (forum_id));
diesel::joinable!(forum_sign_ups -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(forums, regions);
diesel::allow_tables_to_appear_in_same_query!(forum_sign_ups, forums);
diesel::allow_tables_to_appear_in_same_query!(forum_sign_ups, users);

diesel::table! {
    partner_projects (id) {
        id -> BigInt,
        region_code -> Text,
        title -> Text,
        organisation -> Text,
        selected_on -> Text,
        selected_with -> Text,
        stage -> Text,
        agenda -> Text,
        actors -> Text,
        resources -> Text,
        funds -> Text,
        consultants -> Text,
        mou_id -> Nullable<BigInt>,
        revision -> BigInt,
        created_by -> BigInt,
        updated_by -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::joinable!(partner_projects -> regions (region_code));
diesel::allow_tables_to_appear_in_same_query!(partner_projects, regions);
