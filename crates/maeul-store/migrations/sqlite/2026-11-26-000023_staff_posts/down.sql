DROP TABLE staff_posts;
