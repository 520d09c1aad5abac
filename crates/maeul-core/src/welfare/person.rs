//! 대상자 — a person a case or visiting health care is opened for: a name and perhaps a birth
//! year. A resident registration number is never asked for (DESIGN.md §4); the name is sealed
//! at rest and masked on lists.

use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PersonError {
    #[error("a name has 1 to 50 characters")]
    Name,
    #[error("a birth year lies between 1900 and this year")]
    BirthYear,
}

impl PersonError {
    pub fn field(self) -> &'static str {
        match self {
            PersonError::Name => "person_name",
            PersonError::BirthYear => "birth_year",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub birth_year: Option<i32>,
}

impl Person {
    pub fn new(name: &str, birth_year: Option<i32>, today: Date) -> Result<Self, PersonError> {
        let name = name.trim();
        if !(1..=50).contains(&name.chars().count()) || name.chars().any(char::is_control) {
            return Err(PersonError::Name);
        }
        if birth_year.is_some_and(|y| y < 1900 || y > today.year()) {
            return Err(PersonError::BirthYear);
        }
        Ok(Person {
            name: name.to_owned(),
            birth_year,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn people_are_a_name_and_perhaps_a_birth_year() {
        let today = date!(2026 - 11 - 25);
        assert_eq!(
            Person::new(" 김민수 ", Some(1950), today).unwrap().name,
            "김민수"
        );
        assert_eq!(Person::new("", None, today), Err(PersonError::Name));
        assert_eq!(
            Person::new("김", Some(2030), today),
            Err(PersonError::BirthYear)
        );
    }
}
