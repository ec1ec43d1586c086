import { builder } from '../builder.ts';

// The root type; its fields sit next to the types they return (builder.subscriptionFields).
builder.subscriptionType({});
