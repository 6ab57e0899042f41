/** The query GraphiQL opens with: every demo relation, both directions, with its statement count. */
export const demoQuery = `# Each relation costs one SQL statement for all rows:
# run this, then read extensions.sql.statements
# at the end of the result (8, for 10 users or 100).
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
