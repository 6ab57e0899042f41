/** The query GraphiQL opens with: every demo relation, both directions, with its statement count. */
export const demoQuery = `# Every relation below is loaded with one SQL statement per field, whatever
# the number of rows: run it and read extensions.sql.statements in the result.
query UsersWithRelations {
  users(first: 10) {
    totalCount
    nodes {
      id
      name
      email
      phone { number user { name } }
      profile { bio }
      address { street city }
      role { name }
      posts { totalCount nodes { title status } }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;
