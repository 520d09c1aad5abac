//! Courses' certificates of completion: clerks issuing at once give each person one certificate,
//! and only those whose minutes reach the hours get one, on both engines.

use maeul_core::account::Role;
use maeul_core::education::{Audience, Course, Session};
use maeul_core::region::RegionCode;
use time::macros::date;

use crate::account::add;
use crate::{engines, keyed};

#[tokio::test]
async fn clerks_issuing_at_once_give_each_person_one_certificate() {
    for db in engines().await {
        let store = keyed(db.store.clone()).await;
        let by = add(&store, "kim.autonomy", Role::AutonomyStaff, "1111051500").await;
        let place = RegionCode::parse("1111051500").unwrap();
        let course = Course::new("주민자치학교", Audience::Residents, true, 120, "").unwrap();
        let courses = store.courses();
        let id = courses.create(&place, course, by).await.unwrap();
        let session = Session::new("1회차", date!(2026 - 03 - 05), 120).unwrap();
        let s = courses.add_session(id, session).await.unwrap();
        let mut marks = Vec::new();
        for (i, minutes) in [120, 120, 119, 120, 0, 120].into_iter().enumerate() {
            let e = courses
                .enrol(id, format!("주민{i}"), String::new(), by)
                .await
                .unwrap();
            if minutes > 0 {
                marks.push((e, s, minutes));
            }
        }
        courses.record_attendance(id, marks).await.unwrap();
        let issues = (0..6).map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .certificates()
                    .for_course(id, date!(2026 - 03 - 06), by)
                    .await
            })
        });
        let mut answers = Vec::new();
        for issue in issues {
            answers.push(issue.await.unwrap().unwrap());
        }
        let held: Vec<&str> = answers[0].iter().map(|c| c.holder.as_str()).collect();
        assert_eq!(
            held,
            ["주민0", "주민1", "주민3", "주민5"],
            "{}: those who reached two hours, once each",
            db.name
        );
        for a in &answers {
            assert_eq!(
                a, &answers[0],
                "{}: every clerk sees the same codes",
                db.name
            );
        }
        assert_eq!(
            store.certificates().of_course(id).await.unwrap(),
            answers[0]
        );
    }
}
