select json_build_array(json_agg("relgraph_rows"."id"), json_agg("relgraph_rows"."name")) as "columns" from (select "id", "name" from "users" order by "users"."id" asc nulls last limit $1) "relgraph_rows";

select json_build_array(json_agg("relgraph_rows"."id"), json_agg("relgraph_rows"."title"), json_agg("relgraph_rows"."author_id")) as "columns" from (select "id", "title", "author_id" from (select "id", "title", "author_id", row_number() over (partition by "author_id" order by "posts"."title" asc nulls last, "posts"."id" asc nulls last) as "__rank" from "posts" where "posts"."author_id" = any($1::int4[])) "ranked" where "__rank" <= $2 order by "__rank") "relgraph_rows";

select "author_id"::text, count(*)::int from "posts" where "posts"."author_id" = any($1::int4[]) group by "posts"."author_id";
