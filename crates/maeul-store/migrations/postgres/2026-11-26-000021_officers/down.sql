DROP TABLE officers;
