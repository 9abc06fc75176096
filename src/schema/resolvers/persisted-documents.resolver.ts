import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { DocumentInputError, registerDocument } from '../../services/persisted-documents';
import type { GatewayContext } from '../context';
import { BadInputError } from '../errors';
import { PersistedDocumentRegistration } from '../types/persisted-document';
import { requireAdmin } from './admin.resolver';

/** Registration of trusted documents (issue 13 item 4); every replica picks new ones up on first use. */
@Resolver()
export class PersistedDocumentsResolver {
  @Mutation(() => PersistedDocumentRegistration, {
    description:
      'Admin: registers a GraphQL document as trusted (TRUSTED_DOCUMENTS=allow-listed|required) and returns the id clients send as `documentId`. The text is stored exactly as given; clients must send the identical text (or its id).',
  })
  async registerPersistedDocument(
    @Ctx() ctx: GatewayContext,
    @Arg('body', { description: 'The document text exactly as clients will send it.' }) body: string,
  ): Promise<PersistedDocumentRegistration> {
    requireAdmin(ctx);
    if (!ctx.services.db) throw new BadInputError('body', 'a gateway with a database');
    try {
      const r = await (ctx.services.ops?.registerDocument?.(body) ?? registerDocument(ctx.services.db, body));
      return { documentId: `sha256:${r.hash}`, created: r.created };
    } catch (e) {
      if (e instanceof DocumentInputError) throw new BadInputError('body', e.message.replace(/^body: expected /, ''));
      throw e;
    }
  }
}
