import json, collections
p='/work/wt/portal/control-plane/src/main/resources/openapi.json'
d=json.load(open(p), object_pairs_hook=collections.OrderedDict)
S=d['components']['schemas']
def ref(n): return {"$ref":"#/components/schemas/"+n}
def obj(props, required=None):
    o={"type":"object","properties":props}
    if required: o["required"]=required
    return o
s=lambda **k: dict(type="string", **k)
uuid=s(format="uuid"); dt=s(format="date-time"); date=s(format="date")
i64={"type":"integer","format":"int64"}
S['Branding']=obj({"displayName":s(maxLength=100),"logoUrl":s(format="uri",description="absolute http(s) URL"),"primaryColor":s(pattern="^#[0-9a-fA-F]{6}$"),"accentColor":s(pattern="^#[0-9a-fA-F]{6}$")})
S['PortalTenant']=obj({"id":uuid,"slug":s(),"name":s(),"branding":ref('Branding')})
S['OfferedPlan']=obj({"id":uuid,"name":s(),"description":s(),"throttle":ref('Throttle'),"quota":{"type":"object"},"pricing":{"type":"object"},"requiresApproval":{"type":"boolean"},"paid":{"type":"boolean"},"apis":{"type":"array","items":s(description="apiSlug/stage")}})
S['PublishedApi']=obj({"slug":s(),"name":s(),"description":s(),"stages":{"type":"array","items":s()},"plans":{"type":"array","items":ref('OfferedPlan')}})
S['DeveloperProfile']=obj({"displayName":s(maxLength=200,description="defaults to the token's name"),"email":s(format="email",description="defaults to the token's email"),"company":s(maxLength=200)})
S['Developer']=obj({"userId":uuid,"displayName":s(),"email":s(),"company":s(),"status":s(enum=["active","blocked"]),"createdAt":dt,"updatedAt":dt})
S['NewDeveloperApp']=obj({"name":s(minLength=1,maxLength=200),"description":s(maxLength=4000)},["name"])
S['DeveloperSubscription']=obj({"id":uuid,"planId":uuid,"planName":s(),"status":s(enum=["pending_approval","pending_payment","active","suspended","cancelled"]),"startedAt":dt})
S['DeveloperApp']=obj({"id":uuid,"name":s(),"description":s(),"status":s(),"createdAt":dt,"subscriptions":{"type":"array","items":ref('DeveloperSubscription')}})
S['Subscribe']=obj({"planId":uuid,"successUrl":s(format="uri",description="paid plans: where checkout returns after payment"),"cancelUrl":s(format="uri",description="paid plans: where checkout returns when abandoned")},["planId"])
S['Subscribed']=obj({"subscription":ref('DeveloperSubscription'),"checkoutUrl":s(format="uri",description="paid plans only: the hosted checkout page")})
S['AppUsage']=obj({"appId":uuid,"from":date,"to":date,"keys":{"type":"array","items":obj({"keyId":uuid,"name":s(),"prefix":s(),"status":s(),
  "days":{"type":"array","items":obj({"day":date,"calls":i64,"errors4xx":i64,"errors5xx":i64})},
  "quotas":{"type":"array","items":obj({"planId":uuid,"planName":s(),"period":s(enum=["DAY","WEEK","MONTH"]),"periodStart":date,"limit":i64,"used":i64,"remaining":i64})}})}})
S['Invoice']=obj({"id":uuid,"appId":uuid,"subscriptionId":uuid,"periodStart":dt,"periodEnd":dt,"currency":s(),"totalCents":i64,"status":s(),"createdAt":dt,
  "lines":{"type":"array","items":obj({"index":{"type":"integer"},"description":s(),"quantity":i64,"unitPriceMicros":i64,"amountCents":i64})}})
S['PortalVisibility']=obj({"visible":{"type":"boolean"}},["visible"])

def param(name, fmt=None, where="path", desc=None):
    sc={"type":"string"}
    if fmt: sc["format"]=fmt
    o={"name":name,"in":where,"required":where=="path","schema":sc}
    if desc: o["description"]=desc
    return o
P=lambda code: {"$ref":"#/components/responses/Problem"}
def op(tag, summary, method, path, resp, status=200, body=None, params=(), public=False, errors=(401,403,404), query=()):
    oid=method+''.join(w.capitalize() for w in path.replace('{','').replace('}','').replace('-','/').split('/') if w)
    r=collections.OrderedDict()
    if resp is None:
        r[str(status)]={"description":"No content"}
    else:
        r[str(status)]={"description":"OK" if status==200 else "Created","content":{"application/json":{"schema":resp}}}
    errs=set(errors)
    if body is not None: errs.add(400)
    for e in sorted(errs):
        if public and e in (401,403): continue
        r[str(e)]=P(e)
    o=collections.OrderedDict(tags=[tag],summary=summary,operationId=oid,responses=r)
    if public: o["security"]=[]
    o["parameters"]=list(params)+list(query)
    if body is not None:
        o["requestBody"]={"required":True,"content":{"application/json":{"schema":body}}}
    d['paths'].setdefault(path, collections.OrderedDict())[method]=o
L=lambda n: obj({"items":{"type":"array","items":ref(n)}})
slug=param("slug",desc="the tenant's slug")
B='/v1/portal/{slug}'
T='Developer portal'
op(T,"The portal's tenant and branding; public","get",B,ref('PortalTenant'),params=[slug],public=True)
op(T,"Search published APIs by name, slug or description; public","get",B+"/apis",L('PublishedApi'),params=[slug],public=True,query=[param("q",where="query")])
op(T,"A published API with its stages and plans; public","get",B+"/apis/{apiSlug}",ref('PublishedApi'),params=[slug,param("apiSlug")],public=True)
op(T,"The API's OpenAPI 3.0.1 document without implementation extensions; public","get",B+"/apis/{apiSlug}/openapi",{"type":"object"},params=[slug,param("apiSlug")],public=True)
op(T,"Every plan the portal offers; public","get",B+"/plans",L('OfferedPlan'),params=[slug],public=True)
op(T,"The caller's developer profile in this portal (404 before registering)","get",B+"/me",ref('Developer'),params=[slug])
op(T,"Register in this portal, or update the profile","put",B+"/me",ref('Developer'),body=ref('DeveloperProfile'),params=[slug])
a=[slug,param("appId","uuid")]
op(T,"The caller's apps with their subscriptions","get",B+"/apps",L('DeveloperApp'),params=[slug])
op(T,"Create an app","post",B+"/apps",ref('DeveloperApp'),201,body=ref('NewDeveloperApp'),params=[slug])
op(T,"One of the caller's apps","get",B+"/apps/{appId}",ref('DeveloperApp'),params=a)
op(T,"Rename an app","put",B+"/apps/{appId}",ref('DeveloperApp'),body=ref('NewDeveloperApp'),params=a)
op(T,"Delete an app: cancels its subscriptions and revokes its keys","delete",B+"/apps/{appId}",None,204,params=a)
op(T,"Subscribe the app to an offered plan: free plans at once or after approval, paid plans through checkout (503 without billing)","post",B+"/apps/{appId}/subscriptions",ref('Subscribed'),201,body=ref('Subscribe'),params=a,errors=(401,403,404,409,503))
S['Pay']=obj({"successUrl":s(format="uri"),"cancelUrl":s(format="uri")},["successUrl","cancelUrl"])
op(T,"A new checkout page for a subscription still pending payment","post",B+"/apps/{appId}/subscriptions/{subscriptionId}/checkout",ref('Subscribed'),201,body=ref('Pay'),params=a+[param("subscriptionId","uuid")],errors=(401,403,404,409,503))
op(T,"Cancel a subscription","delete",B+"/apps/{appId}/subscriptions/{subscriptionId}",ref('DeveloperSubscription'),params=a+[param("subscriptionId","uuid")])
op(T,"The app's keys: prefix, status, created, expires, last used","get",B+"/apps/{appId}/keys",L('ApiKey'),params=a)
op(T,"Issue a key; the full key is in this answer only","post",B+"/apps/{appId}/keys",ref('IssuedKey'),201,body=ref('CreateKey'),params=a,errors=(401,403,404,409))
k=a+[param("keyId","uuid")]
op(T,"Rotate a key: a new key, the old one valid until previous.expiresAt","post",B+"/apps/{appId}/keys/{keyId}/rotate",ref('IssuedKey'),201,body=ref('RotateKey'),params=k,errors=(401,403,404,409))
op(T,"Revoke a key at once","post",B+"/apps/{appId}/keys/{keyId}/revoke",ref('ApiKey'),params=k)
op(T,"Usage per key and day (UTC) with quota used and remaining","get",B+"/apps/{appId}/usage",ref('AppUsage'),params=a,query=[param("from","date","query"),param("to","date","query")],errors=(400,401,403,404))
op(T,"Invoices of the caller's apps, newest first, with lines","get",B+"/invoices",L('Invoice'),params=[slug])
op(T,"One invoice of the caller's apps","get",B+"/invoices/{invoiceId}",ref('Invoice'),params=[slug,param("invoiceId","uuid")])
t=[param("tenantId","uuid")]
O='Portal administration'
op(O,"The portal's branding","get","/v1/tenants/{tenantId}/portal/branding",ref('Branding'),params=t)
op(O,"Set the portal's name, logo and colours","put","/v1/tenants/{tenantId}/portal/branding",ref('Branding'),body=ref('Branding'),params=t)
op(O,"Developers registered in the portal","get","/v1/tenants/{tenantId}/developers",L('Developer'),params=t)
op(O,"Offer a plan in the portal or hide it","put","/v1/tenants/{tenantId}/usage-plans/{planId}/portal-visibility",ref('PortalVisibility'),body=ref('PortalVisibility'),params=t+[param("planId","uuid")])
op(O,"Reject a pending subscription","post","/v1/tenants/{tenantId}/apps/{appId}/subscriptions/{subscriptionId}/reject",ref('Subscription'),params=t+[param("appId","uuid"),param("subscriptionId","uuid")],errors=(401,403,404,409))
json.dump(d, open(p,'w'), indent=2, ensure_ascii=False)
open(p,'a').write('\n')
