select json_build_array(json_agg("relgraph_rows"."id"), json_agg("relgraph_rows"."number"), json_agg("relgraph_rows"."user_id")) as "columns" from (select "id", "number", "user_id" from "phones" order by "phones"."id" asc nulls last limit $1) "relgraph_rows";

select json_build_array(json_agg("relgraph_rows"."id"), json_agg("relgraph_rows"."name")) as "columns" from (select "id", "name" from "users" where "users"."id" = any($1::int4[])) "relgraph_rows";
