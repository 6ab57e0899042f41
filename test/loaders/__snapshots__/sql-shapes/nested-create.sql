insert into "roles" ("id", "name") values (default, $1) returning "id", "name";

insert into "users" ("id", "name", "email", "external_id", "created_at", "address_id", "role_id") values (default, $1, $2, default, default, default, $3) returning "id", "name", "email", "external_id", "created_at", "address_id", "role_id";

insert into "phones" ("id", "number", "user_id") values (default, $1, $2) returning "id", "number", "user_id";

select json_build_array(json_agg("relgraph_rows"."id"), json_agg("relgraph_rows"."number"), json_agg("relgraph_rows"."user_id")) as "columns" from (select "id", "number", "user_id" from "phones" where "phones"."user_id" = any($1::int4[])) "relgraph_rows";
