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

diesel::joinable!(grants -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    regions, grants, users, sessions, api_tokens, access_log
);
