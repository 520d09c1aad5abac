use maeul_core::account::{Grant, Login, Password, Role};
use maeul_core::region::RegionCode;
use maeul_store::StoreError;
use maeul_store::account::{Actor, LoginOutcome};

use crate::engines;

const PASSWORD: &str = "correct-horse-9";

pub(crate) async fn add(store: &maeul_store::Store, login: &str, role: Role, scope: &str) -> i64 {
    let login = Login::parse(login).unwrap();
    let hash = Password::parse(&login, PASSWORD).unwrap().hash();
    let grant = Grant::new(role, RegionCode::parse(scope).unwrap()).unwrap();
    store
        .accounts()
        .create_user(login, "시험 사용자", hash, vec![grant], Actor::cli())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_login_is_taken_once() {
    for db in engines().await {
        add(&db.store, "kim", Role::WelfareStaff, "1111051500").await;
        let login = Login::parse("kim").unwrap();
        let again = db
            .store
            .accounts()
            .create_user(login, "김", "x".into(), vec![], Actor::cli())
            .await;
        assert!(
            matches!(again, Err(StoreError::Conflict)),
            "{}: {again:?}",
            db.name
        );
    }
}

#[tokio::test]
async fn five_failures_lock_the_account_even_for_the_right_password() {
    for db in engines().await {
        add(&db.store, "lee", Role::Nurse, "1111051500").await;
        let accounts = db.store.accounts();
        for i in 1..5 {
            let r = accounts
                .authenticate("lee", "wrong-password-1", "10.0.0.1")
                .await
                .unwrap();
            assert!(
                matches!(r, LoginOutcome::Invalid),
                "{}: attempt {i}: {r:?}",
                db.name
            );
        }
        let fifth = accounts
            .authenticate("lee", "wrong-password-1", "10.0.0.1")
            .await
            .unwrap();
        assert!(
            matches!(fifth, LoginOutcome::Locked(_)),
            "{}: {fifth:?}",
            db.name
        );
        let right = accounts
            .authenticate("LEE", PASSWORD, "10.0.0.1")
            .await
            .unwrap();
        assert!(
            matches!(right, LoginOutcome::Locked(_)),
            "{}: locked means locked: {right:?}",
            db.name
        );
        let unknown = accounts
            .authenticate("nobody", PASSWORD, "10.0.0.1")
            .await
            .unwrap();
        assert!(matches!(unknown, LoginOutcome::Invalid));
    }
}

#[tokio::test]
async fn sessions_and_tokens_carry_the_user_and_end_on_a_grant_change() {
    for db in engines().await {
        let id = add(&db.store, "park", Role::WelfareStaff, "1111051500").await;
        let accounts = db.store.accounts();
        let LoginOutcome::Success(principal) = accounts
            .authenticate("park", PASSWORD, "::1")
            .await
            .unwrap()
        else {
            panic!("{}: the right password logs in", db.name);
        };
        assert_eq!(principal.user_id, id);
        let session = accounts.create_session(id).await.unwrap();
        let (p, csrf) = accounts
            .session(&session.token)
            .await
            .unwrap()
            .expect("live session");
        assert_eq!(p.grants.len(), 1);
        assert_eq!(csrf, session.csrf_token);
        assert!(accounts.session("not-a-token").await.unwrap().is_none());

        let (token, _) = accounts.create_token(&principal, "::1").await.unwrap();
        assert_eq!(accounts.token(&token).await.unwrap().unwrap().login, "park");

        let extra = Grant::new(Role::Auditor, RegionCode::parse("1111000000").unwrap()).unwrap();
        accounts
            .grant(Login::parse("park").unwrap(), extra.clone(), Actor::cli())
            .await
            .unwrap();
        assert!(
            accounts.session(&session.token).await.unwrap().is_none(),
            "{}: grant change ends sessions",
            db.name
        );
        let again = accounts
            .grant(Login::parse("park").unwrap(), extra.clone(), Actor::cli())
            .await;
        assert!(matches!(again, Err(StoreError::Conflict)));
        accounts
            .revoke(Login::parse("park").unwrap(), extra.clone(), Actor::cli())
            .await
            .unwrap();
        let missing = accounts
            .revoke(Login::parse("park").unwrap(), extra, Actor::cli())
            .await;
        assert!(matches!(missing, Err(StoreError::NotFound)));

        let (users, total) = accounts.list(0, 10).await.unwrap();
        assert_eq!(total, 1);
        assert_eq!(users[0].grants.len(), 1);
    }
}

#[tokio::test]
async fn a_password_reset_unlocks_and_ends_every_session_and_token() {
    for db in engines().await {
        add(&db.store, "choi", Role::WelfareStaff, "1111051500").await;
        let accounts = db.store.accounts();
        let LoginOutcome::Success(principal) = accounts
            .authenticate("choi", PASSWORD, "::1")
            .await
            .unwrap()
        else {
            panic!("{}: logs in", db.name);
        };
        let session = accounts.create_session(principal.user_id).await.unwrap();
        let (token, _) = accounts.create_token(&principal, "::1").await.unwrap();
        for _ in 0..5 {
            accounts
                .authenticate("choi", "wrong-password-1", "::1")
                .await
                .unwrap();
        }
        let login = Login::parse("choi").unwrap();
        let new_hash = Password::parse(&login, "a-new-passphrase-2")
            .unwrap()
            .hash();
        accounts
            .reset_password(login.clone(), new_hash, Actor::cli())
            .await
            .unwrap();
        assert!(
            accounts.session(&session.token).await.unwrap().is_none(),
            "{}",
            db.name
        );
        assert!(
            accounts.token(&token).await.unwrap().is_none(),
            "{}",
            db.name
        );
        let old = accounts
            .authenticate("choi", PASSWORD, "::1")
            .await
            .unwrap();
        assert!(matches!(old, LoginOutcome::Invalid), "{}: {old:?}", db.name);
        let new = accounts
            .authenticate("choi", "a-new-passphrase-2", "::1")
            .await
            .unwrap();
        assert!(
            matches!(new, LoginOutcome::Success(_)),
            "{}: {new:?}",
            db.name
        );

        for _ in 0..5 {
            accounts
                .authenticate("choi", "wrong-password-1", "::1")
                .await
                .unwrap();
        }
        accounts.unlock(login, Actor::cli()).await.unwrap();
        let after = accounts
            .authenticate("choi", "a-new-passphrase-2", "::1")
            .await
            .unwrap();
        assert!(
            matches!(after, LoginOutcome::Success(_)),
            "{}: unlocked: {after:?}",
            db.name
        );
        let missing = accounts
            .unlock(Login::parse("nobody").unwrap(), Actor::cli())
            .await;
        assert!(matches!(missing, Err(StoreError::NotFound)));
    }
}
