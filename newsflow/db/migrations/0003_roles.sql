-- The three roles of the design: loader (writes raw), transformer (dbt), reader
-- (SELECT on marts only). NOLOGIN group roles: deployments create login users
-- that are members of them. Skipped with a notice where the connecting user may
-- not create roles (some managed services).

do $$
declare
    r text;
begin
    foreach r in array array['newsflow_loader', 'newsflow_transformer', 'newsflow_reader'] loop
        if not exists (select 1 from pg_roles where rolname = r) then
            execute format('create role %I nologin', r);
        end if;
    end loop;
exception when insufficient_privilege then
    raise notice 'cannot create roles here (%); create them by hand', sqlerrm;
end
$$;

do $$
begin
    if exists (select 1 from pg_roles where rolname = 'newsflow_loader') then
        execute 'grant usage on schema raw to newsflow_loader';
        execute 'grant select, insert, update, delete on all tables in schema raw to newsflow_loader';
        execute 'grant usage, select on all sequences in schema raw to newsflow_loader';
        execute 'alter default privileges in schema raw grant select, insert, update, delete on tables to newsflow_loader';
        execute 'alter default privileges in schema raw grant usage, select on sequences to newsflow_loader';
    end if;
    if exists (select 1 from pg_roles where rolname = 'newsflow_transformer') then
        execute 'grant usage on schema raw to newsflow_transformer';
        execute 'grant select on all tables in schema raw to newsflow_transformer';
        execute 'alter default privileges in schema raw grant select on tables to newsflow_transformer';
        execute format('grant create on database %I to newsflow_transformer', current_database());
    end if;
end
$$;
