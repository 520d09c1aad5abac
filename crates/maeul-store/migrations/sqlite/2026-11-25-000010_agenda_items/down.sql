DROP TABLE agenda_actions;
DROP TABLE agenda_ladders;
DROP TABLE agenda_supports;
DROP TABLE agenda_items;
