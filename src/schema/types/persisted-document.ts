import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A trusted document (persistiertes Dokument) as registered for TRUSTED_DOCUMENTS mode.' })
export class PersistedDocumentRegistration {
  @Field({ description: 'The id clients send as `documentId`: "sha256:" and the lower-case hex SHA-256 of the document text.' })
  documentId!: string;

  @Field({ description: 'False when the same document was registered before (registration is idempotent).' })
  created!: boolean;
}
